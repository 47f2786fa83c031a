import { randomBytes } from 'node:crypto';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { murmur2 } from './threaded-batch-sender';

// kafkajs' own murmur2 (not exported by its index), the reference the relay's partitioning must match.
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0], offlineReplicas: [] }));

function keys(): (string | Buffer)[] {
  const out: (string | Buffer)[] = [
    '',
    'a',
    'ab',
    'abc',
    'abcd',
    'traveller-health.traveller-0f3a9c2e71b84d5a9e6c1b2d3f4a5b6c',
    '张三',
    '😀x',
    Buffer.from([0xff, 0x80, 0x7f]),
  ];
  for (let length = 0; length < 70; length++) {
    out.push(randomBytes(length).toString('base64').slice(0, length));
    out.push(randomBytes(length));
  }
  return out;
}

describe("the relay's murmur2", () => {
  it("hashes every key as kafkajs' default partitioner does", () => {
    for (const key of keys()) expect({ key, hash: murmur2(key) }).toEqual({ key, hash: kafkajsMurmur2(key) });
  });

  it('picks the partition kafkajs would pick, for any partition count', () => {
    const partitioner = Partitioners.DefaultPartitioner();
    for (const count of [1, 2, 3, 6, 12, 50]) {
      for (const key of keys()) {
        const expected = partitioner({ topic: 't', partitionMetadata: metadata(count), message: { key, value: 'v' } });
        expect((murmur2(key) & 0x7fffffff) % count).toBe(expected);
      }
    }
  });
});
