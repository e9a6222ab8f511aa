"""
Exactly-once consume-transform-produce with librdkafka while the broker is killed and restarted,
driven by test/e2e/transactions-crash.test.ts. Usage: eos_crash.py <bootstrap> seed|run <n>

seed: creates eos-in / eos-out (3 partitions each) and writes n records to eos-in.
run:  a read_committed consumer (group eos-app, no auto commit) and a transactional producer move
      every input record to eos-out as "out-<value>", 10 per transaction, with the consumer's positions
      sent to the transaction. Errors are handled as confluent-kafka's EOS example does: abortable →
      abort and rewind to the committed offsets; retriable commit → retry; fatal → new producer
      (init_transactions fences the old one). Ends when the group's committed offsets cover n records;
      prints a JSON summary.
"""
import json
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

BOOT, MODE, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
QUIET = {"log_level": 0}
PARTS = 3


def seed():
    admin = AdminClient({"bootstrap.servers": BOOT, **QUIET})
    for f in admin.create_topics([NewTopic("eos-in", PARTS, 1), NewTopic("eos-out", PARTS, 1)]).values():
        f.result(15)
    p = Producer({"bootstrap.servers": BOOT, "enable.idempotence": True, **QUIET})
    for i in range(N):
        p.produce("eos-in", key=str(i), value=str(i))
    if p.flush(30) != 0:
        raise RuntimeError("seed not flushed")
    print(json.dumps({"seeded": N}))


def new_producer():
    p = Producer({"bootstrap.servers": BOOT, "transactional.id": "eos-app", "transaction.timeout.ms": 10000, **QUIET})
    while True:
        try:
            p.init_transactions(10)
            return p
        except KafkaException as e:
            if not e.args[0].retriable():
                raise
            time.sleep(0.2)


def committed_total(consumer):
    tps = consumer.committed([TopicPartition("eos-in", i) for i in range(PARTS)], 10)
    return sum(tp.offset for tp in tps if tp.offset >= 0)


def rewind(consumer):
    assignment = consumer.assignment()
    if not assignment:
        return
    for tp in consumer.committed(assignment, 10):
        consumer.seek(TopicPartition(tp.topic, tp.partition, tp.offset if tp.offset >= 0 else OFFSET_BEGINNING))


def run():
    consumer = Consumer({
        "bootstrap.servers": BOOT,
        "group.id": "eos-app",
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
        "session.timeout.ms": 10000,
        **QUIET,
    })
    consumer.subscribe(["eos-in"])
    producer = new_producer()
    stats = {"commits": 0, "aborts": 0, "retried_commits": 0, "new_producers": 0, "errors": []}
    deadline = time.time() + 90
    while time.time() < deadline:
        msgs = [m for m in consumer.consume(10, 0.5) if m.error() is None]
        if not msgs:
            try:
                if committed_total(consumer) >= N:
                    break
            except KafkaException:
                pass
            continue
        try:
            producer.begin_transaction()
            for m in msgs:
                producer.produce("eos-out", key=m.key(), value=b"out-" + m.value())
            producer.send_offsets_to_transaction(consumer.position(consumer.assignment()), consumer.consumer_group_metadata(), 10)
            for attempt in range(20):
                try:
                    producer.commit_transaction(10)
                    break
                except KafkaException as e:
                    if e.args[0].retriable() and not e.args[0].txn_requires_abort():
                        stats["retried_commits"] += 1
                        time.sleep(0.2)
                        continue
                    raise
            stats["commits"] += 1
            print("committed %d" % stats["commits"], flush=True)  # the test kills the broker on progress
            time.sleep(0.05)  # spread the run over a few seconds, so the kill lands mid-stream
        except KafkaException as e:
            err = e.args[0]
            stats["errors"].append(err.name())
            if err.txn_requires_abort():
                try:
                    producer.abort_transaction(10)
                    stats["aborts"] += 1
                except KafkaException:
                    producer = new_producer()
                    stats["new_producers"] += 1
            else:
                producer = new_producer()
                stats["new_producers"] += 1
            time.sleep(0.2)
            rewind(consumer)
    stats["committed"] = committed_total(consumer)
    consumer.close()
    stats["errors"] = stats["errors"][:20]
    print(json.dumps(stats))


if __name__ == "__main__":
    seed() if MODE == "seed" else run()
