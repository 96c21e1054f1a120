// The cache tier: exact LRU order, capacity bound, TTL expiry on an injected clock, removal,
// stats that add up, and correct values under concurrent use from several threads.
#include "core/cache/cachetier.h"

#include <QTest>

#include <cmath>
#include <list>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

using namespace cachescope;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {
QByteArray valueFor(std::int64_t key)
{
    return QByteArray::number(qint64(key)) + QByteArray(24, 'v');
}

// A textbook LRU to compare against.
class ReferenceLru {
public:
    explicit ReferenceLru(std::size_t capacity)
        : m_capacity(capacity)
    {
    }
    bool access(std::int64_t key)
    {
        if (auto it = m_index.find(key); it != m_index.end()) {
            m_order.splice(m_order.begin(), m_order, it->second);
            return true;
        }
        if (m_capacity == 0)
            return false;
        if (m_index.size() == m_capacity) {
            m_index.erase(m_order.back());
            m_order.pop_back();
        }
        m_order.push_front(key);
        m_index[key] = m_order.begin();
        return false;
    }

private:
    std::size_t m_capacity;
    std::list<std::int64_t> m_order;
    std::unordered_map<std::int64_t, std::list<std::int64_t>::iterator> m_index;
};
} // namespace

class TestCacheTier : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Touching an entry protects it; the least recently used one goes first.
    void evictsLeastRecentlyUsed()
    {
        CacheTier tier({3, 0ns, 1});
        for (std::int64_t k : {1, 2, 3})
            tier.put(k, valueFor(k));
        QVERIFY(tier.get(1)); // order now 1, 3, 2
        tier.put(4, valueFor(4)); // evicts 2
        QVERIFY(!tier.get(2));
        QVERIFY(tier.get(1));
        QVERIFY(tier.get(3));
        QVERIFY(tier.get(4));
        QCOMPARE(tier.stats().evictions, 1u);
    }

    void matchesReferenceLru_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("keys");
        QTest::addRow("small cache") << 10 << 50;
        QTest::addRow("half the keys") << 500 << 1000;
        QTest::addRow("all keys fit") << 300 << 200;
        QTest::addRow("one entry") << 1 << 5;
    }
    // With one shard the tier is exact LRU: the same hits, request by request.
    void matchesReferenceLru()
    {
        QFETCH(int, capacity);
        QFETCH(int, keys);
        CacheTier tier({std::size_t(capacity), 0ns, 1});
        ReferenceLru reference {std::size_t(capacity)};
        std::mt19937_64 rng(1);
        std::uniform_int_distribution<std::int64_t> pick(0, keys - 1);
        for (int i = 0; i < 20000; ++i) {
            const std::int64_t key = pick(rng);
            const bool hit = tier.get(key).has_value();
            if (!hit)
                tier.put(key, valueFor(key));
            QCOMPARE(hit, reference.access(key));
        }
    }

    void fullTierHoldsItsWholeCapacity_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<unsigned>("shards");
        QTest::addRow("10 over 4 shards") << 10 << 4u;
        QTest::addRow("7 over 8 shards") << 7 << 8u;
        QTest::addRow("1001 over 16 shards") << 1001 << 16u;
        QTest::addRow("64 over 1 shard") << 64 << 1u;
    }
    // The capacity is split over the shards with its remainder: a tier filled with many more keys
    // than it holds holds exactly its capacity, whatever the shard count.
    void fullTierHoldsItsWholeCapacity()
    {
        QFETCH(int, capacity);
        QFETCH(unsigned, shards);
        for (const QString &policy : EvictionPolicy::names()) {
            CacheTier tier({std::size_t(capacity), 0ns, shards, policy});
            for (std::int64_t k = 0; k < 20 * capacity + 200; ++k)
                tier.put(k, valueFor(k));
            QVERIFY2(tier.size() == std::size_t(capacity), qPrintable(policy + u' ' + QString::number(tier.size())));
        }
    }

    void capacityIsABound_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<int>("capacity");
        QTest::addColumn<unsigned>("shards");
        for (const QString &policy : EvictionPolicy::names()) {
            const QByteArray p = policy.toUtf8();
            QTest::addRow("%s, 1 shard", p.constData()) << policy << 100 << 1u;
            QTest::addRow("%s, 4 shards", p.constData()) << policy << 100 << 4u;
            QTest::addRow("%s, 16 shards, uneven split", p.constData()) << policy << 1001 << 16u;
            QTest::addRow("%s, automatic shards", p.constData()) << policy << 50000 << 0u;
            QTest::addRow("%s, zero capacity", p.constData()) << policy << 0 << 1u;
            QTest::addRow("%s, one entry", p.constData()) << policy << 1 << 1u;
        }
    }
    // Whatever the policy, a full tier evicts before it inserts and never holds more than its
    // capacity; inserts − evictions = entries.
    void capacityIsABound()
    {
        QFETCH(QString, policy);
        QFETCH(int, capacity);
        QFETCH(unsigned, shards);
        CacheTier tier({std::size_t(capacity), 0ns, shards, policy});
        for (std::int64_t k = 0; k < capacity * 3 + 10; ++k) {
            tier.put(k, valueFor(k));
            if (k % 97 == 0) // size() visits every shard: sample it
                QVERIFY(tier.size() <= std::size_t(capacity));
        }
        QVERIFY(tier.size() <= std::size_t(capacity));
        // Shards split the capacity evenly, so a full sweep fills every shard.
        QVERIFY(tier.size() >= std::size_t(capacity) * 9 / 10);
        // Re-reading resident keys hits and returns their values.
        std::size_t found = 0;
        for (std::int64_t k = 0; k < capacity * 3 + 10; ++k) {
            if (auto v = tier.get(k)) {
                QCOMPARE(*v, valueFor(k));
                ++found;
            }
        }
        QCOMPARE(found, tier.size());
        const CacheStats stats = tier.stats();
        QCOMPARE(stats.inserts - stats.evictions, stats.entries);
    }

    void expiresAtTheEndOfTheTtl_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<unsigned>("shards");
        for (const QString &policy : EvictionPolicy::names()) {
            QTest::addRow("%s, 1 shard", qPrintable(policy)) << policy << 1u;
            QTest::addRow("%s, 8 shards", qPrintable(policy)) << policy << 8u;
        }
    }
    // An entry is served until its TTL has passed and never after, without any sleep; the
    // sweep keeps it up to the same instant and drops it at that instant.
    void expiresAtTheEndOfTheTtl()
    {
        QFETCH(QString, policy);
        QFETCH(unsigned, shards);
        auto clock = std::make_shared<ManualClock>();
        CacheTier tier({100, 30s, shards, policy}, clock);
        tier.put(7, valueFor(7));
        tier.put(8, valueFor(8)); // never read: only the sweep finds it expired
        clock->advance(30s - 1ns);
        QCOMPARE(tier.get(7), valueFor(7));
        QCOMPARE(tier.sweepExpired(), 0u);
        QVERIFY(tier.contains(8));
        clock->advance(1ns); // the TTL's last instant: neither a read nor the sweep keeps them
        QVERIFY(!tier.get(7));
        QVERIFY(!tier.contains(8));
        QCOMPARE(tier.sweepExpired(), 1u);
        const CacheStats stats = tier.stats();
        QCOMPARE(stats.expirations, 2u);
        QCOMPARE(stats.entries, 0u);
        QCOMPARE(stats.hits, 1u);
        QCOMPARE(stats.misses, 1u);
        // The slot is reusable: the key can be cached again.
        tier.put(7, valueFor(7));
        QCOMPARE(tier.get(7), valueFor(7));
    }

    void removeAndClearEveryPolicy_data()
    {
        QTest::addColumn<QString>("policy");
        for (const QString &policy : EvictionPolicy::names())
            QTest::addRow("%s", qPrintable(policy)) << policy;
    }
    // Removed entries are gone, the rest stay, and the tier keeps working after clear().
    void removeAndClearEveryPolicy()
    {
        QFETCH(QString, policy);
        CacheTier tier({50, 0ns, 1, policy});
        for (std::int64_t k = 0; k < 50; ++k)
            tier.put(k, valueFor(k));
        for (std::int64_t k = 0; k < 50; k += 2)
            QVERIFY(tier.remove(k));
        QCOMPARE(tier.size(), 25u);
        for (std::int64_t k = 100; k < 200; ++k) // evictions after removals pick resident entries only
            tier.put(k, valueFor(k));
        QCOMPARE(tier.size(), 50u);
        for (std::int64_t k = 0; k < 50; k += 2)
            QVERIFY(!tier.get(k));
        tier.clear();
        QCOMPARE(tier.size(), 0u);
        tier.put(1, valueFor(1));
        QCOMPARE(tier.get(1), valueFor(1));
    }

    // Scan resistance, the reason S3-FIFO and W-TinyLFU exist: a hot set that fits keeps being
    // hit while a one-time scan of many cold keys passes through; LRU loses the hot set.
    void scanResistance_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<bool>("resistant");
        QTest::addRow("lru") << u"lru"_s << false;
        QTest::addRow("s3fifo") << u"s3fifo"_s << true;
        QTest::addRow("wtinylfu") << u"wtinylfu"_s << true;
    }
    void scanResistance()
    {
        QFETCH(QString, policy);
        QFETCH(bool, resistant);
        CacheTier tier({100, 0ns, 1, policy});
        auto access = [&](std::int64_t k) {
            if (!tier.get(k))
                tier.put(k, valueFor(k));
        };
        for (int round = 0; round < 20; ++round) {
            for (std::int64_t k = 0; k < 50; ++k)
                access(k);
        }
        for (std::int64_t k = 1000; k < 1300; ++k) // the scan: 3× the capacity, each key once
            access(k);
        int hotHits = 0;
        for (std::int64_t k = 0; k < 50; ++k)
            hotHits += tier.get(k) ? 1 : 0;
        if (resistant)
            QVERIFY2(hotHits >= 45, qPrintable(QString::number(hotHits)));
        else
            QCOMPARE(hotHits, 0);
    }

    // Putting a key again replaces its value and restarts its TTL.
    void updateReplacesValueAndTtl()
    {
        auto clock = std::make_shared<ManualClock>();
        CacheTier tier({10, 10s, 1}, clock);
        tier.put(1, "old");
        clock->advance(8s);
        tier.put(1, "new");
        clock->advance(8s);
        QCOMPARE(tier.get(1), QByteArray("new"));
        QCOMPARE(tier.stats().updates, 1u);
        QCOMPARE(tier.size(), 1u);
    }

    void removeAndClear()
    {
        CacheTier tier({10, 0ns, 2});
        for (std::int64_t k = 0; k < 5; ++k)
            tier.put(k, valueFor(k));
        QVERIFY(tier.remove(3));
        QVERIFY(!tier.remove(3));
        QVERIFY(!tier.get(3));
        tier.clear();
        QCOMPARE(tier.size(), 0u);
        QCOMPARE(tier.stats().invalidations, 5u);
    }

    void concurrentUseStaysConsistent_data()
    {
        QTest::addColumn<QString>("policy");
        for (const QString &policy : EvictionPolicy::names())
            QTest::addRow("%s", qPrintable(policy)) << policy;
    }
    // Several threads get and put overlapping keys, each put a new version of its key (puts of
    // one key are ordered by a per-key lock, as a database's row lock orders writes): a get
    // never returns another key's value nor a version older than one whose put had returned
    // before the get began; once all stop, every resident key holds its last version; the bound
    // holds, and hits + misses equal the gets made.
    void concurrentUseStaysConsistent()
    {
        QFETCH(QString, policy);
        constexpr std::int64_t kKeys = 5000;
        CacheTier tier({2000, 0ns, 4, policy});
        constexpr int kThreads = 4;
        constexpr int kOps = 50000;
        std::vector<std::mutex> rowLocks(kKeys);
        std::vector<std::atomic<int>> published(kKeys); // last version whose put returned
        const auto versioned = [](std::int64_t key, int version) {
            return QByteArray(valueFor(key) + '@' + QByteArray::number(version));
        };
        const auto versionOf = [](const QByteArray &value) { return value.mid(value.lastIndexOf('@') + 1).toInt(); };
        std::atomic<int> wrongValues {0};
        std::atomic<int> staleValues {0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                std::mt19937_64 rng(std::uint64_t(t) + 1);
                std::uniform_int_distribution<std::int64_t> pick(0, kKeys - 1);
                for (int i = 0; i < kOps; ++i) {
                    const std::int64_t key = pick(rng);
                    const int before = published[std::size_t(key)].load();
                    if (auto v = tier.get(key)) {
                        if (!v->startsWith(QByteArray(valueFor(key) + '@')))
                            wrongValues.fetch_add(1);
                        else if (versionOf(*v) < before)
                            staleValues.fetch_add(1);
                    } else {
                        std::lock_guard lock(rowLocks[std::size_t(key)]);
                        const int version = published[std::size_t(key)].load() + 1;
                        tier.put(key, versioned(key, version));
                        published[std::size_t(key)].store(version);
                    }
                    if (i % 1000 == 0) {
                        const std::int64_t gone = pick(rng);
                        std::lock_guard lock(rowLocks[std::size_t(gone)]);
                        tier.remove(gone);
                    }
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(wrongValues.load(), 0);
        QCOMPARE(staleValues.load(), 0);
        std::size_t resident = 0;
        for (std::int64_t key = 0; key < kKeys; ++key) {
            if (const auto v = tier.get(key)) {
                ++resident;
                QCOMPARE(*v, versioned(key, published[std::size_t(key)].load()));
            }
        }
        QCOMPARE(resident, tier.size());
        QVERIFY(resident > 1000); // the cache ends well filled: the checks above saw values
        const CacheStats stats = tier.stats();
        QCOMPARE(stats.hits + stats.misses, std::uint64_t(kThreads) * kOps + kKeys);
        QVERIFY(stats.hits > 0);
        QVERIFY(tier.size() <= 2000);
        QCOMPARE(stats.entries, tier.size());
    }

    void readsRaceEveryWriter_data()
    {
        QTest::addColumn<QString>("policy");
        for (const QString &policy : EvictionPolicy::names())
            QTest::addRow("%s", qPrintable(policy)) << policy;
    }
    // Hits take no lock: readers copy values out of entries that a writer replaces, evicts,
    // removes, clears, shrinks and hands to another policy at the same time. Every value read
    // belongs to its key (a freed or half-written entry would not, and ASan/TSan would say so),
    // and the counts still add up.
    void readsRaceEveryWriter()
    {
        QFETCH(QString, policy);
        CacheTier tier({64, 0ns, 2, policy});
        constexpr int kReads = 100000;
        std::atomic<bool> stop {false};
        std::atomic<int> wrongValues {0};
        std::atomic<std::uint64_t> hits {0};
        const auto versioned
            = [](std::int64_t key, int version) -> QByteArray { return valueFor(key) + QByteArray::number(version); };
        std::vector<std::thread> readers;
        for (int t = 0; t < 2; ++t) {
            readers.emplace_back([&, t] {
                std::mt19937_64 rng(std::uint64_t(t) + 7);
                std::uniform_int_distribution<std::int64_t> pick(0, 95);
                std::uint64_t mine = 0;
                for (int i = 0; i < kReads; ++i) {
                    const std::int64_t key = pick(rng);
                    if (auto v = tier.get(key)) {
                        ++mine;
                        if (!v->startsWith(valueFor(key)))
                            wrongValues.fetch_add(1);
                    }
                }
                hits.fetch_add(mine);
            });
        }
        std::thread writer([&] {
            const QStringList policies = EvictionPolicy::names();
            std::mt19937_64 rng(99);
            std::uniform_int_distribution<std::int64_t> pick(0, 95);
            for (int round = 0; !stop.load(); ++round) {
                for (int i = 0; i < 200; ++i) {
                    const std::int64_t key = pick(rng);
                    tier.put(key, versioned(key, round));
                }
                tier.remove(pick(rng));
                tier.take(pick(rng));
                tier.setCapacity(round % 2 ? 32 : 64);
                if (round % 7 == 0)
                    tier.clear();
                if (round % 11 == 0)
                    tier.setPolicy(policies[std::size_t(round / 11) % std::size_t(policies.size())]);
            }
        });
        for (auto &reader : readers)
            reader.join();
        stop.store(true);
        writer.join();
        QCOMPARE(wrongValues.load(), 0);
        const CacheStats stats = tier.stats();
        QCOMPARE(stats.hits, hits.load());
        QCOMPARE(stats.hits + stats.misses, std::uint64_t(2) * kReads);
        QVERIFY(tier.size() <= tier.capacity());
        QCOMPARE(stats.entries, tier.size());
    }

    void byteLimitIsABound_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<unsigned>("shards");
        for (const QString &policy : EvictionPolicy::names()) {
            QTest::addRow("%s, 1 shard", qPrintable(policy)) << policy << 1u;
            QTest::addRow("%s, 4 shards", qPrintable(policy)) << policy << 4u;
        }
    }
    // With a byte limit, bytes held (key + value + overhead per entry) never exceed it; an
    // entry larger than a shard's share is refused rather than emptying the shard.
    void byteLimitIsABound()
    {
        QFETCH(QString, policy);
        QFETCH(unsigned, shards);
        constexpr std::size_t kLimit = 64 * 1024;
        CacheTierConfig config {100000, 0ns, shards, policy, kLimit};
        CacheTier tier(config);
        std::mt19937_64 rng {7};
        for (std::int64_t k = 0; k < 2000; ++k) {
            tier.put(k, QByteArray(int(rng() % 900), 'x'));
            QVERIFY(tier.stats().bytes <= kLimit);
        }
        const CacheStats before = tier.stats();
        QVERIFY(before.bytes > kLimit / 2);
        QVERIFY(before.evictions > 0);
        tier.put(99999, QByteArray(int(kLimit), 'x'));
        QCOMPARE(tier.stats().rejections, 1u);
        QVERIFY(!tier.get(99999));
        QCOMPARE(tier.stats().entries, before.entries);
        tier.setMaxBytes(kLimit / 4);
        QVERIFY(tier.stats().bytes <= kLimit / 4);
    }

    // TTL jitter spreads expiry over [TTL × (1 − jitter), TTL]: part of the entries expire
    // early, none survives the full TTL; a sweep reclaims them without any read.
    void jitterSpreadsExpiryAndSweepReclaims()
    {
        auto clock = std::make_shared<ManualClock>();
        CacheTierConfig config {1000, 10s, 1, u"lru"_s, 0, 0.5};
        CacheTier tier(config, clock);
        for (std::int64_t k = 0; k < 1000; ++k)
            tier.put(k, valueFor(k));
        clock->advance(4999ms);
        QCOMPARE(tier.sweepExpired(), 0u);
        clock->advance(2500ms); // 7.5 s: about half of [5 s, 10 s] has passed
        const std::size_t early = tier.sweepExpired();
        QVERIFY2(early > 300 && early < 700, qPrintable(QString::number(early)));
        QCOMPARE(tier.size(), 1000 - early);
        clock->advance(2501ms); // 10 s: the full TTL has passed for every entry
        tier.sweepExpired();
        QCOMPARE(tier.size(), 0u);
        QCOMPARE(tier.stats().expirations, 1000u);
    }

    // A policy chosen live decides exactly as a tier created with it: it hears of every hit,
    // counted ones included (a switch once left S3-FIFO and SIEVE deaf to the hits counted in
    // the entries, so they evicted as FIFO).
    void livePolicySwitchDecidesAsCreated_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        for (const QString &to : EvictionPolicy::names()) {
            const QString from = to == u"lru"_s ? u"fifo"_s : u"lru"_s;
            QTest::addRow("%s to %s", qPrintable(from), qPrintable(to)) << from << to;
        }
    }
    void livePolicySwitchDecidesAsCreated()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        CacheTier created({64, 0ns, 1, to});
        CacheTier switched({64, 0ns, 1, from});
        switched.setPolicy(to);
        QCOMPARE(switched.policy(), to);
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        for (int i = 0; i < 20000; ++i) {
            const auto key = std::int64_t(std::pow(400.0, unit(rng))); // skewed over 1 … 400
            for (CacheTier *tier : {&created, &switched}) {
                if (!tier->get(key))
                    tier->put(key, valueFor(key));
            }
        }
        QCOMPARE(switched.stats().hits, created.stats().hits);
        QVERIFY(created.stats().hits > 0);
        for (std::int64_t key = 1; key <= 400; ++key)
            QVERIFY2(switched.contains(key) == created.contains(key), qPrintable(QString::number(key)));
    }

    void unknownPolicyIsRefused()
    {
        try {
            CacheTier tier({10, 0ns, 1, u"arc"_s});
            QFAIL("an unknown policy must throw");
        } catch (const std::invalid_argument &error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains(u"'arc'"_s), error.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestCacheTier)
#include "tst_cachetier.moc"
