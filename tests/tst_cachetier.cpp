// The cache tier: exact LRU order, capacity bound, TTL expiry on an injected clock, removal,
// stats that add up, and correct values under concurrent use from several threads.
#include "core/cache/cachetier.h"

#include <QTest>

#include <list>
#include <random>
#include <thread>
#include <unordered_map>

using namespace cachescope;
using namespace std::chrono_literals;

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

    void capacityIsABound_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<unsigned>("shards");
        QTest::addRow("1 shard") << 100 << 1u;
        QTest::addRow("4 shards") << 100 << 4u;
        QTest::addRow("16 shards, uneven split") << 1001 << 16u;
        QTest::addRow("automatic shards") << 50000 << 0u;
        QTest::addRow("zero capacity") << 0 << 1u;
    }
    void capacityIsABound()
    {
        QFETCH(int, capacity);
        QFETCH(unsigned, shards);
        CacheTier tier({std::size_t(capacity), 0ns, shards});
        for (std::int64_t k = 0; k < capacity * 3 + 10; ++k) {
            tier.put(k, valueFor(k));
            QVERIFY(tier.size() <= std::size_t(capacity));
        }
        QVERIFY(tier.size() <= std::size_t(capacity));
        // Shards split the capacity evenly, so a full sweep fills every shard.
        QVERIFY(tier.size() >= std::size_t(capacity) * 9 / 10);
        const CacheStats stats = tier.stats();
        QCOMPARE(stats.inserts - stats.evictions, stats.entries);
    }

    void expiresAfterTtl_data()
    {
        QTest::addColumn<unsigned>("shards");
        QTest::addRow("1 shard") << 1u;
        QTest::addRow("8 shards") << 8u;
    }
    // An entry is served until its TTL has passed and never after, without any sleep.
    void expiresAfterTtl()
    {
        QFETCH(unsigned, shards);
        auto clock = std::make_shared<ManualClock>();
        CacheTier tier({100, 30s, shards}, clock);
        tier.put(7, valueFor(7));
        clock->advance(30s - 1ns);
        QCOMPARE(tier.get(7), valueFor(7));
        clock->advance(1ns);
        QVERIFY(!tier.get(7));
        const CacheStats stats = tier.stats();
        QCOMPARE(stats.expirations, 1u);
        QCOMPARE(stats.entries, 0u);
        QCOMPARE(stats.hits, 1u);
        QCOMPARE(stats.misses, 1u);
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

    // Several threads get and put overlapping keys: every value returned belongs to its key,
    // the bound holds, and hits + misses equal the gets made.
    void concurrentUseStaysConsistent()
    {
        CacheTier tier({2000, 0ns, 4});
        constexpr int kThreads = 4;
        constexpr int kOps = 100000;
        std::atomic<int> wrongValues {0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                std::mt19937_64 rng(std::uint64_t(t) + 1);
                std::uniform_int_distribution<std::int64_t> pick(0, 5000);
                for (int i = 0; i < kOps; ++i) {
                    const std::int64_t key = pick(rng);
                    if (auto v = tier.get(key)) {
                        if (*v != valueFor(key))
                            wrongValues.fetch_add(1);
                    } else {
                        tier.put(key, valueFor(key));
                    }
                    if (i % 1000 == 0)
                        tier.remove(pick(rng));
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(wrongValues.load(), 0);
        const CacheStats stats = tier.stats();
        QCOMPARE(stats.hits + stats.misses, std::uint64_t(kThreads) * kOps);
        QVERIFY(tier.size() <= 2000);
        QCOMPARE(stats.entries, tier.size());
    }
};

QTEST_GUILESS_MAIN(TestCacheTier)
#include "tst_cachetier.moc"
