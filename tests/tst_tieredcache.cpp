// The tiered cache over every policy and both L2 modes: loads once then hits, promotion,
// deadlines that survive moves between tiers, invalidation, version-stamped fills, invalidations
// that overtake a row moving between tiers, negative caching, single-flight, failures, writes
// that leave no stale copy, cached rows that match the database after concurrent writes, and live
// reconfiguration under load.
#include "boundedwait.h"
#include "core/cache/tieredcache.h"

#include <QTest>

#include <array>
#include <future>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
QByteArray rowFor(std::int64_t key)
{
    return "row-" + QByteArray::number(qint64(key));
}

struct CountingLoader {
    std::atomic<int> calls {0};
    TieredCache::Loader loader()
    {
        return [this](std::int64_t key) {
            calls.fetch_add(1);
            return LoadResult {LoadResult::Status::Found, rowFor(key), {}};
        };
    }
};

// A database whose row for key 1 the test changes (it starts as "v1"); other keys keep rowFor().
struct ChangingRow {
    QByteArray row = "v1";
    TieredCache::Loader loader()
    {
        return [this](std::int64_t key) {
            return LoadResult {LoadResult::Status::Found, key == 1 ? row : rowFor(key), {}};
        };
    }
};

void addModeRows()
{
    QTest::addColumn<int>("mode");
    QTest::addRow("inclusive") << int(L2Mode::Inclusive);
    QTest::addRow("exclusive") << int(L2Mode::Exclusive);
}

TieredCacheConfig configFor(const QString &policy, L2Mode mode, std::size_t l1, std::size_t l2)
{
    TieredCacheConfig c;
    c.l1 = {l1, 0ns, 1, policy};
    c.l2 = {l2, 0ns, 1, policy};
    c.mode = mode;
    return c;
}

void addPolicyModeRows()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<int>("mode");
    for (const QString &policy : EvictionPolicy::names()) {
        QTest::addRow("%s, inclusive", qPrintable(policy)) << policy << int(L2Mode::Inclusive);
        QTest::addRow("%s, exclusive", qPrintable(policy)) << policy << int(L2Mode::Exclusive);
    }
}
} // namespace

class TestTieredCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void loadsOnceThenHits_data() { addPolicyModeRows(); }
    void loadsOnceThenHits()
    {
        QFETCH(QString, policy);
        QFETCH(int, mode);
        TieredCache cache(configFor(policy, L2Mode(mode), 10, 100));
        CountingLoader counting;
        const ReadResult first = cache.read(5, counting.loader());
        QCOMPARE(first.source, ReadSource::Loaded);
        QCOMPARE(first.load.value, rowFor(5));
        const ReadResult second = cache.read(5, counting.loader());
        QCOMPARE(second.source, ReadSource::L1);
        QCOMPARE(second.load.value, rowFor(5));
        QCOMPARE(counting.calls.load(), 1);
    }

    // L1 overflows into reads answered by L2, promoted back to L1. Exclusive mode never holds a
    // key in both tiers; inclusive L2 holds everything loaded.
    void l2AnswersWhatL1Dropped_data() { addPolicyModeRows(); }
    void l2AnswersWhatL1Dropped()
    {
        QFETCH(QString, policy);
        QFETCH(int, mode);
        TieredCache cache(configFor(policy, L2Mode(mode), 4, 100));
        CountingLoader counting;
        for (std::int64_t k = 0; k < 40; ++k)
            cache.read(k, counting.loader());
        int fromL2 = 0;
        for (std::int64_t k = 0; k < 40; ++k) {
            const ReadResult r = cache.read(k, counting.loader());
            QCOMPARE(r.load.value, rowFor(k));
            fromL2 += r.source == ReadSource::L2 ? 1 : 0;
        }
        QCOMPARE(counting.calls.load(), 40); // nothing loaded twice: 44 entries of room
        QVERIFY(fromL2 >= 30);
        const TieredCacheStats s = cache.stats();
        QCOMPARE(s.l1.invalidations + s.l2.invalidations, 0u); // moves between tiers are not invalidations
        if (L2Mode(mode) == L2Mode::Exclusive)
            QCOMPARE(s.l1.entries + s.l2.entries, 40u);
        else
            QCOMPARE(s.l2.entries, 40u);
        QVERIFY(s.l1.entries <= 4);
    }

    // readCachedInPlace answers as readCached does — the same source, the same value seen by the
    // reader, the same stats — for an L1 hit, an L2 hit (promoted), a value the filter refuses,
    // a remembered miss (reader not called) and a miss.
    void inPlaceReadsAnswerAsCopies_data() { addPolicyModeRows(); }
    void inPlaceReadsAnswerAsCopies()
    {
        QFETCH(QString, policy);
        QFETCH(int, mode);
        TieredCacheConfig c = configFor(policy, L2Mode(mode), 4, 100);
        c.negativeTtl = 5s;
        TieredCache inPlace(c);
        TieredCache copies(c);
        const auto load = [](std::int64_t key) {
            return key % 10 == 9 ? LoadResult {LoadResult::Status::NotFound, {}, {}}
                                 : LoadResult {LoadResult::Status::Found, rowFor(key), {}};
        };
        for (std::int64_t k = 0; k < 40; ++k) {
            inPlace.read(k, load);
            copies.read(k, load);
        }
        const ValueFilter refuseOdd {
            [](const void *, const QByteArray &value) { return value.back() % 2 == 0; }, nullptr};
        int l1 = 0, l2 = 0, negative = 0, misses = 0;
        for (std::int64_t i = 0; i < 120; ++i) {
            const std::int64_t k = i / 2; // each key twice: the second read finds it promoted to L1
            const ValueFilter *filter = k >= 30 ? &refuseOdd : nullptr;
            int calls = 0;
            QByteArray seen;
            const std::optional<ReadSource> source = inPlace.readCachedInPlace(
                k,
                [&](const QByteArray &value) {
                    ++calls;
                    seen = value;
                },
                filter);
            const std::optional<ReadResult> copy = copies.readCached(k, filter);
            QCOMPARE(source.has_value(), copy.has_value());
            if (!source) {
                ++misses;
                continue;
            }
            QCOMPARE(*source, copy->source);
            const bool found = copy->load.status == LoadResult::Status::Found;
            QCOMPARE(calls, found ? 1 : 0);
            QCOMPARE(seen, copy->load.value);
            l1 += *source == ReadSource::L1 ? 1 : 0;
            l2 += *source == ReadSource::L2 ? 1 : 0;
            negative += *source == ReadSource::Negative ? 1 : 0;
        }
        QVERIFY(l1 > 0 && l2 > 0 && negative > 0 && misses > 0); // every kind of answer was seen
        const TieredCacheStats a = inPlace.stats();
        const TieredCacheStats b = copies.stats();
        QCOMPARE(a.l1.hits, b.l1.hits);
        QCOMPARE(a.l1.misses, b.l1.misses);
        QCOMPARE(a.l2.hits, b.l2.hits);
        QCOMPARE(a.l1.entries, b.l1.entries);
        QCOMPARE(a.negativeHits, b.negativeHits);
    }

    // A value promoted from L2 keeps L2's deadline; L1's shorter TTL applies on top.
    void deadlinesSurviveMovesBetweenTiers_data() { addPolicyModeRows(); }
    void deadlinesSurviveMovesBetweenTiers()
    {
        QFETCH(QString, policy);
        QFETCH(int, mode);
        auto clock = std::make_shared<ManualClock>();
        const bool exclusive = L2Mode(mode) == L2Mode::Exclusive;
        // Exclusive: a one-entry L1, so the next load pushes key 1 down whatever the policy.
        TieredCacheConfig c = configFor(policy, L2Mode(mode), exclusive ? 1 : 10, 100);
        c.l1.ttl = 1s;
        c.l2.ttl = 10s;
        TieredCache cache(c, clock);
        CountingLoader counting;
        cache.read(1, counting.loader());
        if (exclusive)
            cache.read(2, counting.loader());
        clock->advance(2s); // L1's copy (if any) is stale, L2's is fresh
        QCOMPARE(cache.read(1, counting.loader()).source, ReadSource::L2);
        clock->advance(8s + 1ns); // 10 s after the load: stale everywhere
        QCOMPARE(cache.read(1, counting.loader()).source, ReadSource::Loaded);
    }

    void invalidationForcesAReload_data() { addPolicyModeRows(); }
    void invalidationForcesAReload()
    {
        QFETCH(QString, policy);
        QFETCH(int, mode);
        TieredCache cache(configFor(policy, L2Mode(mode), 10, 100));
        CountingLoader counting;
        for (std::int64_t k = 0; k < 5; ++k)
            cache.read(k, counting.loader());
        cache.invalidate(2);
        QCOMPARE(cache.read(2, counting.loader()).source, ReadSource::Loaded);
        QCOMPARE(cache.read(3, counting.loader()).source, ReadSource::L1);
        cache.invalidate(std::vector<std::int64_t> {3, 4});
        QCOMPARE(cache.read(3, counting.loader()).source, ReadSource::Loaded);
        cache.invalidateAll();
        QCOMPARE(cache.read(0, counting.loader()).source, ReadSource::Loaded);
        QCOMPARE(counting.calls.load(), 5 + 3);
    }

    // A load that started before an invalidation never puts its (old) value in the cache.
    void invalidationDuringLoadWins()
    {
        TieredCache cache(configFor(u"lru"_s, L2Mode::Inclusive, 10, 100));
        int calls = 0;
        const auto loader = [&](std::int64_t key) {
            if (++calls == 1)
                cache.invalidate(key); // the row changes while it is being read
            return LoadResult {LoadResult::Status::Found, rowFor(key), {}};
        };
        QCOMPARE(cache.read(9, loader).load.value, rowFor(9));
        QCOMPARE(cache.stats().staleFillsDropped, 1u);
        QCOMPARE(cache.read(9, loader).source, ReadSource::Loaded);
        QCOMPARE(cache.read(9, loader).source, ReadSource::L1);
    }

    // A read that begins after an invalidation does not wait for a load that began before it
    // (that load may bring the old row): it leads a load of its own, which later reads join;
    // the old load's end leaves the new one in place.
    void readsAfterAnInvalidationDoNotJoinAnOlderLoad()
    {
        TieredCache cache(configFor(u"lru"_s, L2Mode::Inclusive, 10, 100));
        TieredCache::LoadTicket old = cache.beginLoad(5);
        QVERIFY(old.isLeader());
        QVERIFY(!cache.beginLoad(5).isLeader()); // before the invalidation: joins
        cache.invalidate(5);
        TieredCache::LoadTicket fresh = cache.beginLoad(5);
        QVERIFY(fresh.isLeader());
        cache.finishLoad(old, {LoadResult::Status::Found, "old row", {}});
        QVERIFY(!cache.peek(5)); // the old load's row is not cached
        TieredCache::LoadTicket follower = cache.beginLoad(5);
        QVERIFY(!follower.isLeader()); // joins the fresh load, still under way
        cache.finishLoad(fresh, {LoadResult::Status::Found, "new row", {}});
        QCOMPARE(follower.result().value, QByteArray("new row"));
        QCOMPARE(cache.peek(5), QByteArray("new row"));
        QCOMPARE(cache.stats().staleFillsDropped, 1u);
    }

    void negativeCaching_data()
    {
        QTest::addColumn<qint64>("negativeTtlMs");
        QTest::addRow("off") << qint64(0);
        QTest::addRow("5 s") << qint64(5000);
    }
    void negativeCaching()
    {
        QFETCH(qint64, negativeTtlMs);
        auto clock = std::make_shared<ManualClock>();
        TieredCacheConfig c = configFor(u"lru"_s, L2Mode::Inclusive, 10, 100);
        c.negativeTtl = std::chrono::milliseconds(negativeTtlMs);
        TieredCache cache(c, clock);
        int calls = 0;
        const auto missing = [&](std::int64_t) {
            ++calls;
            return LoadResult {LoadResult::Status::NotFound, {}, {}};
        };
        QCOMPARE(cache.read(7, missing).load.status, LoadResult::Status::NotFound);
        const ReadResult again = cache.read(7, missing);
        QCOMPARE(again.load.status, LoadResult::Status::NotFound);
        QCOMPARE(again.source, negativeTtlMs > 0 ? ReadSource::Negative : ReadSource::Loaded);
        clock->advance(std::chrono::milliseconds(negativeTtlMs + 1));
        cache.read(7, missing);
        QCOMPARE(calls, negativeTtlMs > 0 ? 2 : 3);
    }

    // N threads missing one key at once make exactly one load and all get its value.
    void concurrentMissesLoadOnce()
    {
        TieredCache cache(configFor(u"lru"_s, L2Mode::Inclusive, 10, 100));
        constexpr int kThreads = 8;
        std::atomic<int> calls {0};
        std::promise<void> release;
        std::shared_future<void> released = release.get_future().share();
        const auto slowLoader = [&](std::int64_t key) {
            calls.fetch_add(1);
            released.wait(); // hold the load open until every other reader is waiting on it
            return LoadResult {LoadResult::Status::Found, rowFor(key), {}};
        };
        std::vector<std::future<ReadResult>> readers;
        for (int i = 0; i < kThreads; ++i)
            readers.push_back(std::async(std::launch::async, [&] { return cache.read(77, slowLoader); }));
        // Bounded: with a broken single flight every reader loads and waits for the release.
        bounded::until([&] { return cache.stats().coalescedWaits == kThreads - 1; }, "7 readers waiting on one load");
        release.set_value();
        int loaded = 0;
        for (auto &reader : readers) {
            const ReadResult r = bounded::get(reader, "a reader of the shared load");
            QCOMPARE(r.load.value, rowFor(77));
            loaded += r.source == ReadSource::Loaded ? 1 : 0;
        }
        QCOMPARE(calls.load(), 1);
        QCOMPARE(loaded, 1);
    }

    // A failed load reaches its waiters as a failure and is not cached.
    void failuresAreSharedNotCached()
    {
        TieredCache cache(configFor(u"lru"_s, L2Mode::Inclusive, 10, 100));
        int calls = 0;
        const auto failing = [&](std::int64_t) -> LoadResult {
            ++calls;
            throw std::runtime_error("database is locked");
        };
        const ReadResult r = cache.read(3, failing);
        QCOMPARE(r.load.status, LoadResult::Status::Failed);
        QCOMPARE(r.load.error, u"database is locked"_s);
        cache.read(3, failing);
        QCOMPARE(calls, 2);
        QCOMPARE(cache.stats().loadFailures, 2u);
    }

    // After a write, no tier answers with the old row: not at once (write-through answers the
    // new one from L1, invalidate loads it), and not once L1's copy has expired and a read falls
    // through to L2 (exclusive mode once left the old row in L2 when the key had moved down
    // before a write-through).
    void writesLeaveNoStaleCopy_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("writePolicy");
        for (const QString &policy : EvictionPolicy::names()) {
            for (const L2Mode mode : {L2Mode::Inclusive, L2Mode::Exclusive}) {
                for (const WritePolicy write : {WritePolicy::Invalidate, WritePolicy::WriteThrough}) {
                    QTest::addRow(
                        "%s, %s, %s", qPrintable(policy), qPrintable(toString(mode)), qPrintable(toString(write)))
                        << policy << int(mode) << int(write);
                }
            }
        }
    }
    void writesLeaveNoStaleCopy()
    {
        QFETCH(QString, policy);
        QFETCH(int, mode);
        QFETCH(int, writePolicy);
        auto clock = std::make_shared<ManualClock>();
        // A one-entry L1: the second key pushes the first out (down to L2 when exclusive).
        TieredCacheConfig c = configFor(policy, L2Mode(mode), 1, 100);
        c.l1.ttl = 1s;
        c.l2.ttl = 10s;
        c.writePolicy = WritePolicy(writePolicy);
        TieredCache cache(c, clock);
        ChangingRow database;
        const TieredCache::Loader loader = database.loader();
        QCOMPARE(cache.read(1, loader).load.value, QByteArray("v1"));
        cache.read(2, loader);
        database.row = "v2";
        cache.written(1, database.row);
        const ReadResult afterWrite = cache.read(1, loader);
        QCOMPARE(afterWrite.load.value, QByteArray("v2"));
        // Write-through keeps the new row cached; invalidate makes the next read load it.
        QCOMPARE(afterWrite.source,
            WritePolicy(writePolicy) == WritePolicy::WriteThrough ? ReadSource::L1 : ReadSource::Loaded);
        clock->advance(2s); // L1's copy is stale, L2's (if any) is not
        QCOMPARE(cache.read(1, loader).load.value, QByteArray("v2"));
        QCOMPARE(cache.peek(1).value_or(QByteArray()), QByteArray("v2"));
    }

    // A promotion is a fill too: an invalidation that lands while an L2 hit is on its way up to
    // L1 must not find the old row back in L1 afterwards. (The filter runs between the L2 lookup
    // and the promotion, so it is where the row changes here.)
    void invalidationDuringPromotionWins_data() { addModeRows(); }
    void invalidationDuringPromotionWins()
    {
        QFETCH(int, mode);
        // A one-entry L1: key 1 is left in L2 only once key 2 is read.
        TieredCache cache(configFor(u"lru"_s, L2Mode(mode), 1, 100));
        ChangingRow database;
        const TieredCache::Loader loader = database.loader();
        cache.read(1, loader);
        cache.read(2, loader);
        struct Writer {
            TieredCache *cache;
            ChangingRow *database;
            bool done = false;
        } writer {&cache, &database};
        const ValueFilter writesOnce {[](const void *context, const QByteArray &) {
                                          auto *w = static_cast<Writer *>(const_cast<void *>(context));
                                          if (!w->done) {
                                              w->done = true;
                                              w->database->row = "v2";
                                              w->cache->invalidate(1);
                                          }
                                          return true;
                                      },
            &writer};
        const ReadResult during = cache.read(1, loader, &writesOnce);
        QVERIFY(writer.done);
        QCOMPARE(during.source, ReadSource::L2); // v1 was current when it was read
        QCOMPARE(cache.peek(1), std::nullopt);
        QCOMPARE(cache.read(1, loader).load.value, QByteArray("v2"));
    }

    // Invalidating other keys (thousands: many share a version stripe with key 1) does not cost
    // a row in L2 its promotion, nor a row leaving L1 its place in L2.
    void otherKeysInvalidationsKeepRowsMoving_data() { addModeRows(); }
    void otherKeysInvalidationsKeepRowsMoving()
    {
        QFETCH(int, mode);
        TieredCache cache(configFor(u"lru"_s, L2Mode(mode), 1, 100));
        CountingLoader counting;
        cache.read(1, counting.loader());
        for (std::int64_t other = 1000; other < 5000; ++other)
            cache.invalidate(other);
        cache.read(2, counting.loader()); // key 1 leaves L1 (down to L2 when exclusive)
        for (std::int64_t other = 5000; other < 9000; ++other)
            cache.invalidate(other);
        QCOMPARE(cache.read(1, counting.loader()).source, ReadSource::L2);
        QCOMPARE(counting.calls.load(), 2);
        QCOMPARE(cache.stats().staleFillsDropped, 0u);
    }

    // Readers, writers and invalidations on a few keys from several threads, every mode and
    // write policy, L1 small enough that keys keep moving between the tiers: once everyone has
    // stopped, whatever the cache holds is the database's current row.
    void cachedRowsMatchTheDatabaseAfterConcurrentWrites_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("writePolicy");
        for (const L2Mode mode : {L2Mode::Inclusive, L2Mode::Exclusive}) {
            for (const WritePolicy write : {WritePolicy::Invalidate, WritePolicy::WriteThrough}) {
                QTest::addRow("%s, %s", qPrintable(toString(mode)), qPrintable(toString(write)))
                    << int(mode) << int(write);
            }
        }
    }
    void cachedRowsMatchTheDatabaseAfterConcurrentWrites()
    {
        QFETCH(int, mode);
        QFETCH(int, writePolicy);
        constexpr std::int64_t kKeys = 32;
        TieredCacheConfig c = configFor(u"lru"_s, L2Mode(mode), 4, 16);
        c.writePolicy = WritePolicy(writePolicy);
        TieredCache cache(c);
        // The database: a version per key, bumped under the key's lock (as a row lock) and
        // told to the cache before the lock is let go, so writes to one key reach the cache in
        // the order they reached the database.
        std::array<std::mutex, kKeys> rowLocks;
        std::array<std::atomic<int>, kKeys> versions {};
        const auto row = [](std::int64_t key, int version) -> QByteArray {
            return QByteArray::number(qint64(key)) + '@' + QByteArray::number(version);
        };
        const TieredCache::Loader loader = [&](std::int64_t key) {
            return LoadResult {LoadResult::Status::Found, row(key, versions[std::size_t(key)].load()), {}};
        };
        // A write is published once the cache has been told: a read that begins after that
        // must not return an older version (a fill that lost to the write must be dropped).
        std::array<std::atomic<int>, kKeys> published {};
        const auto versionOf = [](const QByteArray &value) { return value.mid(value.indexOf('@') + 1).toInt(); };
        std::atomic<int> stale {0};
        std::atomic<int> wrongKey {0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 3; ++t) {
            threads.emplace_back([&, t] {
                std::mt19937_64 rng {std::uint64_t(t) + 11};
                std::uniform_int_distribution<std::int64_t> pick(0, kKeys - 1);
                for (int i = 0; i < 20000; ++i) {
                    const std::int64_t key = pick(rng);
                    if (t == 0 && rng() % 4 == 0) {
                        std::lock_guard lock(rowLocks[std::size_t(key)]);
                        const int version = versions[std::size_t(key)].fetch_add(1) + 1;
                        cache.written(key, row(key, version));
                        published[std::size_t(key)].store(version);
                    } else {
                        const int before = published[std::size_t(key)].load();
                        const ReadResult r = cache.read(key, loader);
                        const QByteArray value = r.load.value;
                        if (!value.startsWith(QByteArray(QByteArray::number(qint64(key)) + '@')))
                            wrongKey.fetch_add(1);
                        else if (versionOf(value) < before)
                            stale.fetch_add(1);
                    }
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(wrongKey.load(), 0);
        QCOMPARE(stale.load(), 0);
        int cachedKeys = 0;
        for (std::int64_t key = 0; key < kKeys; ++key) {
            if (const std::optional<QByteArray> cached = cache.peek(key)) {
                ++cachedKeys;
                QCOMPARE(*cached, row(key, versions[std::size_t(key)].load()));
            }
        }
        QVERIFY2(cachedKeys >= 4, qPrintable(QString::number(cachedKeys))); // L1 alone holds 4
        QVERIFY(std::accumulate(versions.begin(), versions.end(), 0) > 1000); // writes did happen
    }

    // Reads from several threads while another thread changes capacities, TTLs, policies and
    // the mode: no crash, every value belongs to its key, the bounds hold at the end, and every
    // read is accounted for.
    void liveReconfigurationUnderLoad()
    {
        TieredCache cache(configFor(u"lru"_s, L2Mode::Inclusive, 200, 2000));
        std::atomic<bool> stop {false};
        std::atomic<int> wrong {0};
        std::atomic<std::uint64_t> reads {0};
        std::vector<std::thread> readers;
        for (int t = 0; t < 3; ++t) {
            readers.emplace_back([&, t] {
                std::mt19937_64 rng {std::uint64_t(t)};
                std::uniform_int_distribution<std::int64_t> pick(0, 3000);
                const TieredCache::Loader loader = [](std::int64_t key) {
                    return LoadResult {LoadResult::Status::Found, rowFor(key), {}};
                };
                while (!stop.load()) {
                    const std::int64_t key = pick(rng);
                    if (cache.read(key, loader).load.value != rowFor(key))
                        wrong.fetch_add(1);
                    reads.fetch_add(1);
                    if (key % 97 == 0)
                        cache.invalidate(key);
                }
            });
        }
        const QStringList policies = EvictionPolicy::names();
        for (int i = 0; i < 200; ++i) {
            TieredCacheConfig c
                = configFor(policies[i % policies.size()], i % 2 ? L2Mode::Exclusive : L2Mode::Inclusive,
                    std::size_t(50 + (i * 37) % 400), std::size_t(i % 5 == 0 ? 0 : 500 + i * 3));
            c.l1.ttl = std::chrono::milliseconds(i % 3 == 0 ? 0 : 5);
            c.writePolicy = i % 2 ? WritePolicy::WriteThrough : WritePolicy::Invalidate;
            cache.reconfigure(c);
            std::this_thread::yield();
        }
        stop.store(true);
        for (auto &reader : readers)
            reader.join();
        QCOMPARE(wrong.load(), 0);
        const TieredCacheConfig last = cache.config();
        const TieredCacheStats s = cache.stats();
        QVERIFY(s.l1.entries <= last.l1.capacity);
        QVERIFY(s.l2.entries <= last.l2.capacity);
        QVERIFY(reads.load() > 0);
    }
};

QTEST_GUILESS_MAIN(TestTieredCache)
#include "tst_tieredcache.moc"
