import { decodeResponseFrame, defaultValue, encodeRequestFrame } from '../../src/protocol/codec.js';
import type { ApiSpec } from '../../src/protocol/schema/dsl.js';
import type { RawClient } from './helpers.js';

/**
 * Sends requests built with our codec over a raw connection and decodes the answers in order.
 * A partial body is completed with the schema's defaults for that version.
 */
export class Rpc {
  private next = 0;
  private correlation = 1;
  constructor(
    readonly client: RawClient,
    private readonly clientId = 'rpc-test',
  ) {}

  async call<Req, Res>(api: ApiSpec<Req, Res>, version: number, body: Partial<Req>): Promise<Res> {
    const correlationId = this.correlation++;
    const full = { ...defaultValue(api.request, version), ...body } as Req;
    for (const b of encodeRequestFrame(api, version, { correlationId, clientId: this.clientId }, full)) this.client.write(b);
    const frames = await this.client.waitFrames(++this.next, 10_000);
    const frame = frames[this.next - 1];
    if (frame === undefined) throw new Error('connection closed');
    const res = decodeResponseFrame(api, version, frame);
    if (res.correlationId !== correlationId) throw new Error(`correlation id ${res.correlationId}, expected ${correlationId}`);
    return res.body;
  }
}
