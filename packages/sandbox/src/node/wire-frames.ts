/**
 * Follows the WebSocket framing (RFC 6455 §5.2) of the bytes a client sends, without buffering
 * any of them, to tell whether the socket is in the middle of a frame. The `ws` library exposes no
 * such state; the sandbox needs it to close sockets that start a frame and never finish it.
 * @example
 * ```ts
 * const tracker = new WireFrameTracker();
 * tracker.feed(chunk);
 * if (tracker.midFrame) startTheFrameTimer();
 * ```
 */
export class WireFrameTracker {
  /** Header bytes of the frame being read, until the header is complete. */
  #header: number[] = [];
  /** Payload bytes of the current frame still to come. */
  #remaining = 0;

  /** Whether a frame has begun and not ended. */
  get midFrame(): boolean {
    return this.#header.length > 0 || this.#remaining > 0;
  }

  /** Takes the next bytes the client sent. */
  feed(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#remaining > 0) {
        const skipped = Math.min(this.#remaining, chunk.length - offset);
        this.#remaining -= skipped;
        offset += skipped;
        continue;
      }
      this.#header.push(chunk[offset]!);
      offset += 1;
      const length = this.#headerLength();
      if (length === undefined || this.#header.length < length) continue;
      this.#remaining = this.#payloadLength();
      this.#header = [];
    }
  }

  /** The full header length once the first two bytes are known. */
  #headerLength(): number | undefined {
    if (this.#header.length < 2) return undefined;
    const second = this.#header[1]!;
    const short = second & 0x7f;
    const extended = short === 126 ? 2 : short === 127 ? 8 : 0;
    return 2 + extended + (second & 0x80 ? 4 : 0);
  }

  #payloadLength(): number {
    const short = this.#header[1]! & 0x7f;
    if (short < 126) return short;
    if (short === 126) return (this.#header[2]! << 8) | this.#header[3]!;
    let length = 0;
    for (let i = 2; i < 10; i++) length = length * 256 + this.#header[i]!;
    return length;
  }
}
