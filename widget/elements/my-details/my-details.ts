import { LitElement, html } from 'lit';
import { styles } from './styles.js';

/**
 * @tagname my-details
 * @summary Being built.
 */
export class MyDetails extends LitElement {
  static override styles = styles;

  override render() {
    return html`<slot></slot>`;
  }
}
