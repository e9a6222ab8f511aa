/** Kafka's CurrentAssignmentBuilder rules, on the pure reconcile() function. */
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/server/groups/consumer/assignment.js';
import { reconcile, type ReconcileInput } from '../../src/server/groups/consumer/reconcile.js';

const A = (o: Record<string, number[]>): Assignment => new Map(Object.entries(o).map(([t, ps]) => [t, new Set(ps)]));
const plain = (a: Assignment): Record<string, number[]> => Object.fromEntries([...a].map(([t, ps]) => [t, [...ps].sort((x, y) => x - y)]));

const base = (over: Partial<ReconcileInput>): ReconcileInput => ({
  state: 'stable',
  memberEpoch: 1,
  assigned: A({}),
  pendingRevocation: A({}),
  targetEpoch: 2,
  target: A({}),
  owned: A({}),
  partitionEpoch: () => -1,
  ...over,
});

describe('reconcile', () => {
  it('stays put when reconciled to the target epoch', () => {
    const r = reconcile(base({ memberEpoch: 2, assigned: A({ t: [0] }), target: A({ t: [1] }) }));
    expect([r.state, r.memberEpoch, plain(r.assigned)]).toEqual(['stable', 2, { t: [0] }]);
  });

  it('asks for revocation first, at the current epoch, while the member still owns the partitions', () => {
    const r = reconcile(base({ assigned: A({ t: [0, 1, 2] }), target: A({ t: [0, 3] }), owned: A({ t: [0, 1, 2] }) }));
    expect(r.state).toBe('unrevoked_partitions');
    expect(r.memberEpoch).toBe(1);
    expect(plain(r.assigned)).toEqual({ t: [0] }); // 3 is not handed out before 1 and 2 are revoked
    expect(plain(r.pendingRevocation)).toEqual({ t: [1, 2] });
  });

  it('waits while the revoked partitions are still reported; moves on once they are not', () => {
    const waiting = base({ state: 'unrevoked_partitions', assigned: A({ t: [0] }), pendingRevocation: A({ t: [1, 2] }), target: A({ t: [0, 3] }) });
    expect(reconcile({ ...waiting, owned: A({ t: [0, 2] }) }).state).toBe('unrevoked_partitions');
    expect(reconcile({ ...waiting, owned: null }).state).toBe('unrevoked_partitions'); // not said: assume still owned
    const done = reconcile({ ...waiting, owned: A({ t: [0] }) });
    expect([done.state, done.memberEpoch, plain(done.assigned), plain(done.pendingRevocation)]).toEqual(['stable', 2, { t: [0, 3] }, {}]);
  });

  it('withholds partitions another member still owns (unreleased) and gives them later', () => {
    const owner = (t: string, p: number): number => (t === 't' && p === 3 ? 1 : -1);
    const r = reconcile(base({ assigned: A({ t: [0] }), target: A({ t: [0, 3, 4] }), partitionEpoch: owner }));
    expect([r.state, r.memberEpoch, plain(r.assigned)]).toEqual(['unreleased_partitions', 2, { t: [0, 4] }]);
    const later = reconcile(base({ state: r.state, memberEpoch: 2, assigned: r.assigned, target: A({ t: [0, 3, 4] }) }));
    expect([later.state, plain(later.assigned)]).toEqual(['stable', { t: [0, 3, 4] }]);
  });

  it('skips the revocation step when the member already dropped the partitions', () => {
    const r = reconcile(base({ assigned: A({ t: [0, 1] }), target: A({ u: [0] }), owned: A({}) }));
    expect([r.state, r.memberEpoch, plain(r.assigned)]).toEqual(['stable', 2, { u: [0] }]);
  });
});
