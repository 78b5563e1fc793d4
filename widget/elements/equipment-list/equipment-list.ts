import { LitElement, html } from 'lit';
import { styles } from './styles.js';

/**
 * @tagname equipment-list
 * @summary Being built.
 */
export class EquipmentList extends LitElement {
  static override styles = styles;

  override render() {
    return html`<slot></slot>`;
  }
}
