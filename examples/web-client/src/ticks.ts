/** The status marks of an outgoing message, as WhatsApp Web draws them. */
import { icon } from './dom.ts';
import { ICONS } from './icons.ts';

/** Status names of `WebMessageInfo.status`, plus the UI's own "not yet sent". */
export type TickStatus = 'ERROR' | 'PENDING' | 'SERVER_ACK' | 'DELIVERY_ACK' | 'READ' | 'PLAYED';

const LABELS: Record<TickStatus, string> = {
  ERROR: 'Not sent',
  PENDING: 'Sending',
  SERVER_ACK: 'Sent',
  DELIVERY_ACK: 'Delivered',
  READ: 'Read',
  PLAYED: 'Played',
};

/**
 * The mark for `status`: a clock while pending, one grey check once the server has it, two grey
 * checks when delivered, two blue checks when read (or played).
 * @example
 * ```ts
 * bubble.append(ticks('READ')); // <span class="ticks read" data-status="READ">✓✓</span>
 * ```
 */
export function ticks(status: TickStatus | undefined): HTMLSpanElement {
  const value: TickStatus = status ?? 'PENDING';
  const markup =
    value === 'ERROR' ? ICONS.error : value === 'PENDING' ? ICONS.clock : value === 'SERVER_ACK' ? ICONS.check : ICONS.doubleCheck;
  const read = value === 'READ' || value === 'PLAYED';
  const span = icon(markup, `ticks ${read ? 'read' : value === 'ERROR' ? 'error' : 'sent'} ${value === 'PENDING' ? 'pending' : ''}`.trim());
  span.dataset.status = value;
  span.setAttribute('title', LABELS[value]);
  span.setAttribute('aria-label', LABELS[value]);
  span.removeAttribute('aria-hidden');
  return span;
}
