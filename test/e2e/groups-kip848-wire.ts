/**
 * ConsumerGroupDescribe over a plain socket, encoded and decoded with Brook's own codec (the
 * @platformatic/kafka 1.35 parser of this API mis-reads nested assignment structs).
 */
import { connect } from 'node:net';
import { decodeMessage, encodeMessage } from '../../src/protocol/codec.js';
import { api, type ConsumerGroupDescribeResponse } from '../../src/protocol/messages/69-consumer-group-describe.js';

export async function describeOverWire(bootstrap: string, groupIds: string[], version = 1): Promise<ConsumerGroupDescribeResponse['groups']> {
  const [host, port] = splitHostPort(bootstrap);
  const body = Buffer.concat(encodeMessage(api.request, version, { groupIds, includeAuthorizedOperations: false }));
  // Request header v2: api key, version, correlation id, client id (nullable string), empty tagged fields.
  const clientId = Buffer.from('kip848-wire');
  const header = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 1);
  header.writeInt16BE(69, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(7, 4);
  header.writeInt16BE(clientId.length, 8);
  clientId.copy(header, 10);
  header.writeUInt8(0, 10 + clientId.length);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length);
  const frame = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.write(Buffer.concat([size, header, body])));
    let acc = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      acc = Buffer.concat([acc, chunk]);
      if (acc.length >= 4 && acc.length >= 4 + acc.readInt32BE(0)) {
        socket.end();
        resolve(acc.subarray(4, 4 + acc.readInt32BE(0)));
      }
    });
    socket.on('error', reject);
  });
  // Response header v1: correlation id, empty tagged fields.
  return decodeMessage(api.response, version, frame, 5).groups;
}

function splitHostPort(bootstrap: string): [string, number] {
  const i = bootstrap.lastIndexOf(':');
  return [bootstrap.slice(0, i).replace(/^\[|\]$/g, ''), Number(bootstrap.slice(i + 1))];
}
