import { LitElement, html } from 'lit';
import { styles } from './styles.js';

/**
 * @tagname quote-list
 * @summary Being built.
 */
export class QuoteList extends LitElement {
  static override styles = styles;

  override render() {
    return html`<slot></slot>`;
  }
}
