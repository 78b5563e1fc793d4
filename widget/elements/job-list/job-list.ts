import { LitElement, html } from 'lit';
import { styles } from './styles.js';

/**
 * @tagname job-list
 * @summary Being built.
 */
export class JobList extends LitElement {
  static override styles = styles;

  override render() {
    return html`<slot></slot>`;
  }
}
