import { LitElement, html } from 'lit';
import { styles } from './styles.js';

/**
 * @tagname job-form
 * @summary Being built.
 */
export class JobForm extends LitElement {
  static override styles = styles;

  override render() {
    return html`<slot></slot>`;
  }
}
