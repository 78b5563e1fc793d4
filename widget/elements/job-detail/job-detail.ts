import { LitElement, html } from 'lit';
import { styles } from './styles.js';

/**
 * @tagname job-detail
 * @summary Being built.
 */
export class JobDetailElement extends LitElement {
  static override styles = styles;

  override render() {
    return html`<slot></slot>`;
  }
}
