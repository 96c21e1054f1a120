// Every eviction policy's decisions, exact to the key: hand-made access sequences whose evictions
// are worked out below (SIEVE's hand, S3-FIFO's small/main/ghost queues, W-TinyLFU's window,
// probation, protected and admission), and long seeded sequences compared request by request
// with the simple simulators of referencepolicies.h — for every shard count (each shard decides
// alone over its share of the keys and of the capacity).
#include "core/cache/cachetier.h"
#include "core/util/random.h"
#include "referencepolicies.h"

#include <QTest>

#include <cmath>
#include <map>

using namespace cachescope;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {
unsigned shardOf(std::int64_t key, unsigned shards)
{
    return unsigned((hashKey(key) >> 32) & (shards - 1)); // as CacheTier spreads keys
}

// The n-th key (0-based) that a tier of `shards` shards keeps in `shard`.
std::int64_t keyInShard(unsigned shard, int n, unsigned shards)
{
    for (std::int64_t key = 1;; ++key) {
        if (shardOf(key, shards) == shard && n-- == 0)
            return key;
    }
}

// What a read-through client does: get, and put on a miss; returns whether it hit.
bool access(CacheTier &tier, std::int64_t key, std::vector<std::int64_t> &evicted)
{
    if (tier.get(key))
        return true;
    std::vector<CacheTier::Evicted> out;
    tier.put(key, QByteArray::number(qint64(key)), 0, &out);
    for (const CacheTier::Evicted &e : out)
        evicted.push_back(e.key);
    return false;
}

QString lettersOf(const std::vector<std::int64_t> &keys, const std::map<std::int64_t, QChar> &letters)
{
    QStringList out;
    for (std::int64_t k : keys)
        out << (letters.contains(k) ? QString(letters.at(k)) : QString::number(k));
    return out.join(u' ');
}
} // namespace

class TestEvictionPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handWorkedSequencesEvictExactly_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<int>("capacity"); // per shard
        QTest::addColumn<QString>("accesses"); // each letter a get, and a put when it misses
        QTest::addColumn<QString>("evictions"); // in order
        // LRU, 3 entries: A B C, A hit → order A C B; D evicts B; B evicts C; E evicts A; A evicts D.
        QTest::newRow("lru") << u"lru"_s << 3 << u"A B C A D B E A"_s << u"B C A D"_s;
        // FIFO ignores hits: evictions in insertion order.
        QTest::newRow("fifo") << u"fifo"_s << 3 << u"A B C A D B E A"_s << u"A B C"_s;
        // SIEVE, 3 entries. A B C; hits on C and A set their visited bits. D: the hand starts at
        // the tail A (visited: cleared, move on), B unvisited → evicted; the hand stays at C. E:
        // C visited (cleared), D unvisited → evicted although newest (LRU would evict C); the
        // hand passed the head, so F starts again at the tail: A (cleared before) → evicted.
        QTest::newRow("sieve") << u"sieve"_s << 3 << u"A B C C A D E F"_s << u"B D A"_s;
        // S3-FIFO, 5 entries: small 1, main 4, ghost 4. A–E fill small. A twice, B once.
        // F: small's tail A has 2 accesses → main (count restarts); B has 1 → evicted to ghost.
        // B: found in ghost → straight to main; C evicted from small. A hit. G evicts D; C, D and
        // E come back from ghost to main, each evicting small's tail (E, F, G). Main now holds
        // 5 > 4: B hit. H: main's tail A (count 1) and B (1) are reinserted with 0, C (0) is
        // evicted — main evictions do not enter ghost. I: main is at its share again, so small's
        // tail H goes.
        QTest::newRow("s3fifo") << u"s3fifo"_s << 5 << u"A B C D E A A B F B A G C D E B H I"_s << u"B C D E F G C H"_s;
        // W-TinyLFU, 5 entries: window 1, main 4 (protected up to 3). A–E: what leaves the window
        // enters probation while main has room. A, A, B: hits in probation promote to protected.
        // F: window's E (count 1) against probation's tail C (1): not more frequent → E goes.
        // F hit. G: F (2) beats C (1) → C goes, F to probation. D hit → protected. G, G hits.
        // H: G (3) beats probation's F (2) → F goes. G hit → protected holds 4 > 3: its tail A
        // is demoted to probation. I: window's H (1) loses to probation's A (3) → H goes.
        QTest::newRow("wtinylfu") << u"wtinylfu"_s << 5 << u"A B C D E A A B F F G D G G H G I"_s << u"E C F H"_s;
    }
    // The worked sequences, first through the reference simulator (the arithmetic above is its
    // own check), then through tiers of 1, 2, 4 and 8 shards: each shard replays the sequence on
    // keys of its own, interleaved with the others, and must evict exactly the worked keys.
    void handWorkedSequencesEvictExactly()
    {
        QFETCH(QString, policy);
        QFETCH(int, capacity);
        QFETCH(QString, accesses);
        QFETCH(QString, evictions);
        const QStringList steps = accesses.split(u' ');
        {
            auto sim = reference::make(policy, std::size_t(capacity));
            std::vector<std::int64_t> evicted;
            std::map<std::int64_t, QChar> letters;
            for (const QString &step : steps) {
                letters[step[0].unicode()] = step[0];
                sim->access(step[0].unicode(), evicted);
            }
            QCOMPARE(lettersOf(evicted, letters), evictions);
        }
        for (unsigned shards : {1u, 2u, 4u, 8u}) {
            CacheTier tier({std::size_t(capacity) * shards, 0ns, shards, policy});
            QCOMPARE(tier.shardCount(), shards);
            std::vector<std::vector<std::int64_t>> evicted(shards);
            std::vector<std::map<std::int64_t, QChar>> letters(shards);
            for (const QString &step : steps) {
                for (unsigned s = 0; s < shards; ++s) {
                    const std::int64_t key = keyInShard(s, step[0].unicode() - 'A', shards);
                    letters[s][key] = step[0];
                    access(tier, key, evicted[s]);
                }
            }
            for (unsigned s = 0; s < shards; ++s)
                QVERIFY2(lettersOf(evicted[s], letters[s]) == evictions,
                    qPrintable(
                        u"%1 shards, shard %2 evicted %3"_s.arg(shards).arg(s).arg(lettersOf(evicted[s], letters[s]))));
        }
    }

    void seededSequencesMatchTheReference_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<unsigned>("shards");
        QTest::addColumn<int>("capacity"); // per shard
        for (const QString &policy : EvictionPolicy::names()) {
            for (unsigned shards : {1u, 2u, 8u}) {
                for (int capacity : {1, 2, 7, 40, 150})
                    QTest::addRow("%s, %u shards, %d each", qPrintable(policy), shards, capacity)
                        << policy << shards << capacity;
            }
        }
    }
    // Skewed, shifting key streams with some updates of resident keys (an update counts as a
    // hit to every policy): each request hits or misses as in the reference simulator of its
    // shard, and each put evicts exactly the keys the simulator evicts.
    void seededSequencesMatchTheReference()
    {
        QFETCH(QString, policy);
        QFETCH(unsigned, shards);
        QFETCH(int, capacity);
        CacheTier tier({std::size_t(capacity) * shards, 0ns, shards, policy});
        std::vector<std::unique_ptr<reference::Simulator>> sims;
        for (unsigned s = 0; s < shards; ++s)
            sims.push_back(reference::make(policy, std::size_t(capacity)));
        std::uint64_t state = 42 + std::uint64_t(capacity);
        const double keys = 4.0 * capacity * shards + 4;
        std::uint64_t hits = 0;
        for (int i = 0; i < 6000; ++i) {
            // Mostly a skewed draw over 4× the capacity, moving every 1500 requests; 10 % a scan.
            const std::int64_t base = std::int64_t(i / 1500) * std::int64_t(keys / 3);
            const std::int64_t key = (i % 10 == 9) ? 1000000 + i : base + std::int64_t(std::pow(keys, nextUnit(state)));
            const unsigned s = shardOf(key, shards);
            std::vector<std::int64_t> expected;
            const bool expectHit = sims[s]->access(key, expected);
            std::vector<std::int64_t> evicted;
            bool hit = false;
            if (expectHit && i % 20 == 0) {
                tier.put(key, "updated"); // an update is a hit to the policy
                hit = true;
            } else {
                hit = access(tier, key, evicted);
            }
            hits += hit ? 1 : 0;
            if (hit != expectHit || evicted != expected) {
                QFAIL(
                    qPrintable(u"request %1 (key %2, shard %3): %4, evicted [%5]; reference: %6, evicted [%7]"_s.arg(i)
                                   .arg(key)
                                   .arg(s)
                                   .arg(hit ? u"hit"_s : u"miss"_s, lettersOf(evicted, {}),
                                       expectHit ? u"hit"_s : u"miss"_s, lettersOf(expected, {}))));
            }
        }
        QVERIFY(capacity == 1 || hits > 500); // the streams do reuse keys
        QVERIFY(tier.size() <= std::size_t(capacity) * shards);
    }
};

QTEST_GUILESS_MAIN(TestEvictionPolicy)
#include "tst_evictionpolicy.moc"
