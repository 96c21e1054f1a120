// Warm-up: TieredCache::warm (also raced from threads, for tsan) and the executor (budgets,
// concurrency, failures, cancellation). The runner end to end: tst_warmuprun.
#include "boundedwait.h"
#include "core/batch/timerqueue.h"
#include "core/cache/tieredcache.h"
#include "core/load/datasource.h"
#include "core/warmup/warmupexecutor.h"

#include <QTest>
#include <QTimer>

#include <numeric>
#include <thread>

#include <qcoro/qcorotask.h>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestWarmup : public QObject {
    Q_OBJECT
    static TieredCacheConfig config(std::size_t l1, std::size_t l2)
    {
        TieredCacheConfig c;
        c.l1 = {l1, 0s, 0, u"lru"_s};
        c.l2 = {l2, 0s, 0, u"lru"_s};
        return c;
    }
    static RowsLoader memoryLoader(std::atomic<int> *calls, std::int64_t failKey = -1)
    {
        return [calls, failKey](const std::vector<std::int64_t> &keys) {
            ++*calls;
            std::vector<std::optional<QByteArray>> rows;
            for (const std::int64_t k : keys) {
                if (k == failKey)
                    throw DbError(1, u"no such table: gone"_s); // not retryable
                rows.push_back(k % 10 == 9 ? std::nullopt : std::optional<QByteArray>(QByteArray::number(k)));
            }
            return rows;
        };
    }
    // One executor run against a memory "database" (rows for keys not ending in 9; \a failKey's
    // statement fails) and an L1-only cache, on this thread.
    struct ExecutorRig {
        TieredCache cache {config(1000, 0)};
        TimerQueue timers;
        QObject context;
        std::atomic<int> calls {0};
        WarmupCounters counters;
        BatchOutcome<int> run(int keyCount, std::size_t chunkSize, const WarmupOptions &options,
            std::shared_ptr<BatchControl> control, std::int64_t failKey = -1)
        {
            std::vector<std::int64_t> keys(static_cast<std::size_t>(keyCount));
            std::iota(keys.begin(), keys.end(), 0);
            return bounded::waitFor(runWarmup(&context, &timers, &cache, memoryLoader(&calls, failKey),
                                        makeWarmupChunks(keys, chunkSize, 0), options, std::move(control), &counters),
                "the warm-up");
        }
    };

private Q_SLOTS:
    // warm() fills the tiers the caller asks for, never over a cached entry, never after an
    // invalidation that happened since the key's version was taken.
    void warmFillsTheRightTiers_data()
    {
        QTest::addColumn<int>("l2");
        QTest::addColumn<bool>("intoL1");
        QTest::addColumn<bool>("invalidated");
        QTest::addColumn<bool>("put");
        QTest::addColumn<bool>("inL1");
        QTest::addRow("no L2: L1") << 0 << false << false << true << true;
        QTest::addRow("L2 only") << 100 << false << false << true << false;
        QTest::addRow("hottest: L1 and L2") << 100 << true << false << true << true;
        QTest::addRow("invalidated meanwhile") << 100 << true << true << false << false;
    }
    void warmFillsTheRightTiers()
    {
        QFETCH(int, l2);
        QFETCH(bool, intoL1);
        QFETCH(bool, invalidated);
        QFETCH(bool, put);
        QFETCH(bool, inL1);
        TieredCache cache(config(100, std::size_t(l2)));
        const std::uint64_t version = cache.fillVersion(7);
        if (invalidated)
            cache.invalidate(7);
        QCOMPARE(cache.warm(7, version, "row7", intoL1), put);
        QCOMPARE(cache.stats().l1.entries, std::uint64_t(inL1 ? 1 : 0));
        QCOMPARE(cache.peek(7).has_value(), put);
        // A second warm-up of a cached key changes nothing.
        QVERIFY(!cache.warm(7, cache.fillVersion(7), "other", intoL1) || !put);
        if (put)
            QCOMPARE(*cache.peek(7), QByteArray("row7"));
    }

    void chunksKeepTheL1Boundary()
    {
        std::vector<std::int64_t> keys(25);
        std::iota(keys.begin(), keys.end(), 0);
        const std::vector<WarmupChunk> chunks = makeWarmupChunks(keys, 10, 12);
        QCOMPARE(chunks.size(), std::size_t(4)); // 10 + 2 (L1), 10 + 3
        QCOMPARE(chunks[0].keys.size(), std::size_t(10));
        QCOMPARE(chunks[1].keys.size(), std::size_t(2));
        QVERIFY(chunks[0].intoL1 && chunks[1].intoL1 && !chunks[2].intoL1 && !chunks[3].intoL1);
        QCOMPARE(chunks[3].keys.back(), std::int64_t(24));
    }

    // The executor keeps at most K statements in flight, loads every key once, counts rows that
    // do not exist, and a failed statement fails only its own keys.
    void executorBudgetsAndOutcomes_data()
    {
        QTest::addColumn<int>("concurrency");
        QTest::addColumn<qint64>("failKey");
        QTest::addRow("one at a time") << 1 << qint64(-1);
        QTest::addRow("three at a time") << 3 << qint64(-1);
        QTest::addRow("a statement fails") << 2 << qint64(55);
    }
    void executorBudgetsAndOutcomes()
    {
        QFETCH(int, concurrency);
        QFETCH(qint64, failKey);
        ExecutorRig rig;
        WarmupOptions options;
        options.concurrency = concurrency;
        options.roundTrip = [] { return std::chrono::nanoseconds(2ms); };
        const BatchOutcome<int> outcome = rig.run(200, 20, options, std::make_shared<BatchControl>(), failKey);
        const std::atomic<int> &calls = rig.calls;
        const WarmupCounters &counters = rig.counters;
        const TieredCache &cache = rig.cache;
        QCOMPARE(calls.load(), 10);
        QCOMPARE(counters.statements.load(), std::uint64_t(10));
        QCOMPARE(counters.maxInFlight.load(), concurrency);
        QCOMPARE(counters.inFlight.load(), 0);
        QCOMPARE(counters.keysDone.load(), std::uint64_t(200));
        const std::uint64_t failed = failKey >= 0 ? 20 : 0;
        QCOMPARE(counters.keysFailed.load(), failed);
        QCOMPARE(outcome.failed.size(), std::size_t(failKey >= 0 ? 1 : 0));
        QCOMPARE(counters.keysMissing.load(), std::uint64_t((200 - failed) / 10)); // keys ending in 9
        QCOMPARE(counters.keysLoaded.load(), std::uint64_t(200 - failed - (200 - failed) / 10));
        QCOMPARE(cache.stats().l1.entries, counters.keysLoaded.load());
    }

    // Cancelling (time budget, phase end) lets running statements finish and starts no more.
    void executorCancellation()
    {
        ExecutorRig rig;
        auto control = std::make_shared<BatchControl>();
        WarmupOptions options;
        options.concurrency = 1;
        // The round-trip of the third statement cancels the rest.
        options.roundTrip = [&rig, control] {
            if (rig.calls.load() == 3)
                control->cancel();
            return std::chrono::nanoseconds(1ms);
        };
        const BatchOutcome<int> outcome = rig.run(500, 10, options, control);
        const std::atomic<int> &calls = rig.calls;
        const WarmupCounters &counters = rig.counters;
        const TieredCache &cache = rig.cache;
        QVERIFY(outcome.cancelled);
        QCOMPARE(calls.load(), 3);
        QCOMPARE(outcome.neverRan.size(), std::size_t(47));
        QCOMPARE(counters.keysDone.load(), std::uint64_t(30));
        QCOMPARE(cache.stats().l1.entries, counters.keysLoaded.load());
    }

    // warm() from several threads while others read, invalidate and write: no race (tsan), and
    // an invalidated key is never left holding a row warmed before the invalidation.
    void warmRacesReadsAndInvalidations()
    {
        TieredCache cache(config(256, 1024));
        std::atomic<bool> stop {false};
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t) {
            threads.emplace_back([&cache, &stop, t] {
                for (std::int64_t i = 0; !stop.load(); ++i) {
                    const std::int64_t key = (i * 7 + t) % 2000;
                    cache.warm(key, cache.fillVersion(key), QByteArray::number(key), key < 200);
                }
            });
        }
        threads.emplace_back([&cache, &stop] {
            for (std::int64_t i = 0; !stop.load(); ++i) {
                cache.readCached(i % 2000);
                if (i % 17 == 0)
                    cache.invalidate(i % 2000);
                if (i % 101 == 0)
                    cache.written(i % 2000, QByteArray::number(i % 2000));
            }
        });
        QTest::qWait(300);
        stop = true;
        for (std::thread &t : threads)
            t.join();
        // Quiet now: a key invalidated after its version was taken is not warmed.
        const std::uint64_t version = cache.fillVersion(5);
        cache.invalidate(5);
        QVERIFY(!cache.warm(5, version, "old", true));
        QVERIFY(!cache.peek(5));
        for (std::int64_t key = 0; key < 2000; ++key) {
            if (const std::optional<QByteArray> v = cache.peek(key))
                QCOMPARE(*v, QByteArray::number(key));
        }
    }
};

QTEST_GUILESS_MAIN(TestWarmup)
#include "tst_warmup.moc"
