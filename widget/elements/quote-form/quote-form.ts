import { LitElement, html } from 'lit';
import { styles } from './styles.js';

/**
 * @tagname quote-form
 * @summary Being built.
 */
export class QuoteForm extends LitElement {
  static override styles = styles;

  override render() {
    return html`<slot></slot>`;
  }
}
