import { css } from 'lit';
import { formStyles } from '../../ui/form.js';
import { stateStyles } from '../../ui/states.js';
import { actionsAndNoticeStyles } from '../../ui/notice.js';
import { hostStyles } from '../../ui/styles.js';

export const styles = [
  formStyles,
  stateStyles,
  hostStyles,
  actionsAndNoticeStyles,
  css`
    :host {
      max-width: var(--quote-form-max-width, 40rem);
    }
  `,
];
