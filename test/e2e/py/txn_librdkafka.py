"""
librdkafka (Debian's python3-confluent-kafka) transactions against Brook, driven by
test/e2e/transactions-librdkafka.test.ts. Usage: txn_librdkafka.py <bootstrap> <suffix>

1. seeds an input topic with N records (idempotent producer);
2. a transactional producer writes records and aborts, then writes and commits;
3. consume-transform-produce: a read_committed consumer (no auto commit) reads the input, and per
   chunk a transaction writes the transformed records and the consumer's positions
   (send_offsets_to_transaction), every other chunk aborted once and redone;
4. a fresh read_committed consumer reads the output.
Prints one JSON object with what it saw; the test decides.
"""
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

BOOT = sys.argv[1]
SUFFIX = sys.argv[2]
IN = "py-in-" + SUFFIX
OUT = "py-out-" + SUFFIX
N = 60
CHUNK = 10
GROUP = "py-ctp-" + SUFFIX
QUIET = {"log_level": 0}


def create_topics():
    admin = AdminClient({"bootstrap.servers": BOOT, **QUIET})
    futures = admin.create_topics([NewTopic(IN, 3, 1), NewTopic(OUT, 3, 1)])
    for f in futures.values():
        f.result(10)


def seed():
    p = Producer({"bootstrap.servers": BOOT, "enable.idempotence": True, **QUIET})
    for i in range(N):
        p.produce(IN, key=str(i), value="in-%d" % i)
    if p.flush(20) != 0:
        raise RuntimeError("seed not flushed")


def txn_producer(tid):
    p = Producer({"bootstrap.servers": BOOT, "transactional.id": tid, "transaction.timeout.ms": 10000, **QUIET})
    p.init_transactions(20)
    return p


def commit_and_abort():
    p = txn_producer("py-direct-" + SUFFIX)
    p.begin_transaction()
    for i in range(9):
        p.produce(OUT, key="a%d" % i, value="aborted-direct-%d" % i, partition=i % 3)
    p.flush(10)
    p.abort_transaction(20)
    p.begin_transaction()
    for i in range(9):
        p.produce(OUT, key="c%d" % i, value="committed-direct-%d" % i, partition=i % 3)
    p.commit_transaction(20)


def consume_transform_produce():
    consumer = Consumer({
        "bootstrap.servers": BOOT,
        "group.id": GROUP,
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        **QUIET,
    })
    consumer.subscribe([IN])
    producer = txn_producer("py-ctp-" + SUFFIX)
    done = 0
    chunks = 0
    deadline = time.time() + 60
    while done < N and time.time() < deadline:
        msgs = consumer.consume(CHUNK, 1.0)
        msgs = [m for m in msgs if m.error() is None]
        if not msgs:
            continue
        chunks += 1
        if chunks % 2 == 0:
            # Abort this chunk once: its output must vanish and its offsets must not move.
            producer.begin_transaction()
            for m in msgs:
                producer.produce(OUT, key=m.key(), value="aborted-ctp-" + m.value().decode())
            producer.send_offsets_to_transaction(consumer.position(consumer.assignment()), consumer.consumer_group_metadata(), 10)
            producer.flush(10)  # abort_transaction purges unsent records: send them so the abort is real
            producer.abort_transaction(20)
        producer.begin_transaction()
        for m in msgs:
            producer.produce(OUT, key=m.key(), value="out-" + m.value().decode())
        producer.send_offsets_to_transaction(consumer.position(consumer.assignment()), consumer.consumer_group_metadata(), 10)
        producer.commit_transaction(20)
        done += len(msgs)
    committed = consumer.committed([TopicPartition(IN, p) for p in range(3)], 10)
    consumer.close()
    return done, sum(tp.offset for tp in committed if tp.offset >= 0)


def read_output():
    c = Consumer({
        "bootstrap.servers": BOOT,
        "group.id": "py-reader-" + SUFFIX,
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "enable.partition.eof": True,
        **QUIET,
    })
    c.subscribe([OUT])
    seen = []
    eof = set()
    deadline = time.time() + 30
    while len(eof) < 3 and time.time() < deadline:
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            if m.error().code() == -191:  # _PARTITION_EOF
                eof.add(m.partition())
            continue
        eof.discard(m.partition())
        seen.append(m.value().decode())
    c.close()
    return seen


def main():
    create_topics()
    seed()
    commit_and_abort()
    consumed, committed_offsets = consume_transform_produce()
    seen = read_output()
    print(json.dumps({"consumed": consumed, "committedOffsets": committed_offsets, "seen": seen}))


if __name__ == "__main__":
    try:
        main()
    except KafkaException as e:
        print(json.dumps({"error": str(e)}))
        sys.exit(1)
