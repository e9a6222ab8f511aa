/**
 * The one exception the protocol layer throws for malformed wire input (truncated frames, impossible
 * lengths, over-long varints). A server catching it should close the connection and log the message.
 * Encoding mistakes (a value the chosen version cannot carry) are programming errors and throw plain
 * `Error`s instead.
 */
export class ProtocolError extends Error {
  /** Byte offset in the input where decoding failed. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'ProtocolError';
    this.offset = offset;
  }
}
