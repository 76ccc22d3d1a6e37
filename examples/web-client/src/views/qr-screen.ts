/** The landing screen: instructions on the left, the QR code on the right, as on web.whatsapp.com. */
import QRCode from 'qrcode';
import type { Backend } from '../backend.ts';
import { h } from '../dom.ts';

/** What the QR screen shows. */
export interface QrScreenProps {
  backend: Backend;
  /** The QR text, or undefined while waiting for the first ref. */
  qr: string | undefined;
  /** True once the refs ran out (the server said 429): the code must be reloaded. */
  expired: boolean;
  /** A message under the button (a failed scan, …). */
  notice: string | undefined;
  onScan(): void;
  onReload(): void;
  onReset(): void;
}

/**
 * Renders the QR screen. The QR code is drawn into a canvas by the `qrcode` package.
 * @example
 * ```ts
 * root.replaceChildren(qrScreen({ backend, qr, expired: false, notice: undefined, onScan, onReload, onReset }));
 * ```
 */
export function qrScreen(props: QrScreenProps): HTMLElement {
  const { backend, qr } = props;
  const canvas = h('canvas', { class: 'qr-canvas', width: 264, height: 264 });
  const box = h('div', { class: `qr-box${qr === undefined ? ' loading' : ''}${props.expired ? ' expired' : ''}`, 'data-testid': 'qr' }, canvas);
  if (qr !== undefined) {
    box.dataset.qr = qr;
    QRCode.toCanvas(canvas, qr, { width: 264, margin: 0, errorCorrectionLevel: 'L', color: { dark: '#122e31', light: '#ffffff' } }).catch(
      (error: unknown) => console.error('cannot draw the QR code:', error),
    );
  } else {
    box.append(h('div', { class: 'spinner' }));
  }
  if (props.expired) {
    box.append(
      h(
        'button',
        { class: 'qr-reload', 'data-testid': 'qr-reload', onclick: () => props.onReload() },
        h('span', { class: 'qr-reload-circle' }, '⟳'),
        h('span', {}, 'Click to reload QR code'),
      ),
    );
  }

  const scanArea = h('div', { class: 'scan-area' });
  if (backend.scan !== undefined) {
    scanArea.append(
      h(
        'button',
        { class: 'primary-button', 'data-testid': 'scan', disabled: qr === undefined || props.expired, onclick: () => props.onScan() },
        'Scan with the simulated phone',
      ),
    );
  } else if (qr !== undefined && !props.expired) {
    scanArea.append(
      h('p', { class: 'scan-hint' }, 'This sandbox runs on a server, which refuses scans from web pages. Scan by hand:'),
      ...backend.scanCommands(qr).map((command) =>
        h(
          'div',
          { class: 'command' },
          h('code', {}, command),
          h('button', { class: 'copy-button', onclick: () => void navigator.clipboard?.writeText(command) }, 'Copy'),
        ),
      ),
    );
  }
  if (props.notice !== undefined) scanArea.append(h('p', { class: 'notice', 'data-testid': 'notice' }, props.notice));

  return h(
    'div',
    { class: 'landing', 'data-testid': 'landing' },
    h('div', { class: 'landing-band' }, h('div', { class: 'landing-logo' }, h('span', { class: 'logo-dot' }), 'WHATSAPP WEB')),
    h(
      'main',
      { class: 'landing-card' },
      h(
        'div',
        { class: 'landing-row' },
        h(
          'div',
          { class: 'landing-text' },
          h('h1', {}, 'Use WhatsApp on your computer'),
          h(
            'ol',
            {},
            h('li', {}, 'Open WhatsApp on your phone'),
            h('li', {}, 'Tap ', h('strong', {}, 'Menu'), ' or ', h('strong', {}, 'Settings'), ' and select ', h('strong', {}, 'WhatsApp Web')),
            h('li', {}, 'Point your phone to this screen to capture the code'),
          ),
          scanArea,
        ),
        box,
      ),
      h(
        'footer',
        { class: 'landing-footer' },
        h('span', {}, backend.description),
        backend.mode === 'in-page' ? h('button', { class: 'link-button', onclick: () => props.onReset() }, 'Reset sandbox') : null,
      ),
    ),
  );
}
