import { LitElement, html } from 'lit';
import { styles } from './styles.js';

/**
 * @tagname customer-portal
 * @summary Being built.
 */
export class CustomerPortal extends LitElement {
  static override styles = styles;

  override render() {
    return html`<slot></slot>`;
  }
}
