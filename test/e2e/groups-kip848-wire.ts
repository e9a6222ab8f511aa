/**
 * KIP-848 requests over a plain socket, encoded and decoded with Brook's own codec: ConsumerGroupDescribe
 * (the @platformatic/kafka 1.35 parser of this API mis-reads nested assignment structs) and
 * ConsumerGroupHeartbeat (to drive a member by hand, e.g. across a broker restart).
 */
import { connect } from 'node:net';
import { decodeMessage, encodeMessage } from '../../src/protocol/codec.js';
import type { ApiSpec } from '../../src/protocol/schema/dsl.js';
import { api as describeApi, type ConsumerGroupDescribeResponse } from '../../src/protocol/messages/69-consumer-group-describe.js';
import {
  api as heartbeatApi,
  type ConsumerGroupHeartbeatRequest,
  type ConsumerGroupHeartbeatResponse,
} from '../../src/protocol/messages/68-consumer-group-heartbeat.js';

/** One request on a fresh connection; flexible header v2 out, response header v1 back (both APIs are flexible-only). */
export async function roundTrip<Req, Res>(bootstrap: string, api: ApiSpec<Req, Res>, version: number, request: Req): Promise<Res> {
  const i = bootstrap.lastIndexOf(':');
  const host = bootstrap.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(bootstrap.slice(i + 1));
  const body = Buffer.concat(encodeMessage(api.request, version, request));
  const clientId = Buffer.from('kip848-wire');
  const header = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 1);
  header.writeInt16BE(api.key, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(7, 4);
  header.writeInt16BE(clientId.length, 8);
  clientId.copy(header, 10);
  header.writeUInt8(0, 10 + clientId.length); // no tagged fields
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
  return decodeMessage(api.response, version, frame, 5); // correlation id + empty tagged fields
}

export async function describeOverWire(bootstrap: string, groupIds: string[], version = 1): Promise<ConsumerGroupDescribeResponse['groups']> {
  return (await roundTrip(bootstrap, describeApi, version, { groupIds, includeAuthorizedOperations: false })).groups;
}

export function heartbeatOverWire(bootstrap: string, request: Partial<ConsumerGroupHeartbeatRequest> & { groupId: string; memberId: string; memberEpoch: number }, version = 1): Promise<ConsumerGroupHeartbeatResponse> {
  return roundTrip(bootstrap, heartbeatApi, version, {
    instanceId: null,
    rackId: null,
    rebalanceTimeoutMs: -1,
    subscribedTopicNames: null,
    subscribedTopicRegex: null,
    serverAssignor: null,
    topicPartitions: null,
    ...request,
  });
}
