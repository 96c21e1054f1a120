// The batch engine's loader on a real SQLite file: loads within one window make one IN (...)
// statement, duplicates collapse, missing keys answer "not found", a failed batch fails only its
// callers, a retryable failure is retried; and the retry policy's backoff follows its bounds.
#include "boundedwait.h"
#include "core/batch/batchloader.h"
#include "core/batch/retrypolicy.h"
#include "core/db/demodatabase.h"
#include "core/db/rowcodec.h"

#include <sqlite3.h>

#include <QCoroTask>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace cachescope;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
QCoro::Task<> loadOne(BatchLoader *loader, std::int64_t key, LoadResult *out)
{
    BatchLoader::Load op = loader->load(key);
    *out = co_await op;
}

QCoro::Task<> loadAll(BatchLoader *loader, std::vector<std::int64_t> keys, std::vector<LoadResult> *out)
{
    out->resize(keys.size());
    std::vector<QCoro::Task<>> tasks;
    for (std::size_t i = 0; i < keys.size(); ++i)
        tasks.push_back(loadOne(loader, keys[i], &(*out)[i]));
    for (auto &t : tasks)
        co_await t;
}
} // namespace

class TestBatchLoader : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        m_db = m_dir.filePath(u"demo.db"_s);
        DemoDatabase::create(m_db, 300, 3);
    }

    void coalescesWithinAWindow_data()
    {
        QTest::addColumn<std::vector<std::int64_t>>("keys");
        QTest::addColumn<int>("maxBatch");
        QTest::addColumn<int>("statements");
        QTest::addColumn<int>("distinct");
        QTest::addRow("8 loads, one statement") << std::vector<std::int64_t> {1, 2, 3, 4, 5, 6, 7, 8} << 64 << 1 << 8;
        QTest::addRow("duplicates collapse") << std::vector<std::int64_t> {5, 9, 5, 5, 9, 11} << 64 << 1 << 3;
        QTest::addRow("missing keys") << std::vector<std::int64_t> {1, 100000, 2, -4} << 64 << 1 << 4;
        QTest::addRow("full batches go at once")
            << std::vector<std::int64_t> {1, 2, 3, 4, 5, 6, 7, 8, 9, 10} << 4 << 3 << 10;
    }
    void coalescesWithinAWindow()
    {
        QFETCH(std::vector<std::int64_t>, keys);
        QFETCH(int, maxBatch);
        QFETCH(int, statements);
        QFETCH(int, distinct);
        DataSourceConnection connection({m_db, u"products"_s, u"id"_s, false});
        TimerQueue timers;
        BatchLoader loader(
            &timers, [&connection](const auto &k) { return connection.readRows(k, connection.allColumns()); }, {});
        loader.setWindow(2ms);
        loader.setMaxBatch(maxBatch);
        std::vector<LoadResult> results;
        bounded::waitFor(loadAll(&loader, keys, &results), "the batch loads");
        QCOMPARE(connection.stats().statements, std::uint64_t(statements));
        QCOMPARE(loader.batches(), std::uint64_t(statements));
        QCOMPARE(loader.keysLoaded(), std::uint64_t(distinct));
        QCOMPARE(loader.requests(), std::uint64_t(keys.size()));
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const bool exists = keys[i] >= 1 && keys[i] <= 300;
            QCOMPARE(results[i].status, exists ? LoadResult::Status::Found : LoadResult::Status::NotFound);
            if (exists) // each caller gets its own row
                QCOMPARE(RowCodec::decode(results[i].value).value(0).toLongLong(), keys[i]);
        }
    }

    // A failing statement fails the callers of its batch only; a retryable one is tried again.
    void failuresAndRetries_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("failures"); // how many attempts fail before one succeeds
        QTest::addColumn<int>("maxAttempts");
        QTest::addColumn<bool>("succeeds");
        QTest::addRow("busy, retried") << int(SQLITE_BUSY) << 2 << 3 << true;
        QTest::addRow("busy, out of attempts") << int(SQLITE_BUSY) << 3 << 3 << false;
        QTest::addRow("not retryable") << int(SQLITE_CONSTRAINT) << 1 << 5 << false;
    }
    void failuresAndRetries()
    {
        QFETCH(int, code);
        QFETCH(int, failures);
        QFETCH(int, maxAttempts);
        QFETCH(bool, succeeds);
        DataSourceConnection connection({m_db, u"products"_s, u"id"_s, false});
        TimerQueue timers;
        int calls = 0;
        BatchLoader loader(&timers,
            [&](const auto &k) {
                if (++calls <= failures)
                    throw DbError(code, u"injected failure %1"_s.arg(calls));
                return connection.readRows(k, connection.allColumns());
            },
            {});
        loader.setWindow(1ms);
        RetryPolicy policy;
        policy.maxAttempts = maxAttempts;
        policy.baseDelay = 1ms;
        loader.setRetry(policy, 7);
        std::vector<LoadResult> first;
        bounded::waitFor(loadAll(&loader, {1, 2, 3}, &first), "the first batch");
        for (const LoadResult &r : first) {
            QCOMPARE(r.status, succeeds ? LoadResult::Status::Found : LoadResult::Status::Failed);
            if (!succeeds) {
                QVERIFY(r.error.contains(u"injected failure"_s));
                QCOMPARE(r.errorCode, code);
            }
        }
        const int expectedCalls = succeeds ? failures + 1 : (isRetryable(code) ? maxAttempts : 1);
        QCOMPARE(calls, expectedCalls);
        QCOMPARE(loader.retries(), std::uint64_t(expectedCalls - 1));
        // The next batch is independent of the failed one.
        calls = 1000;
        std::vector<LoadResult> second;
        bounded::waitFor(loadAll(&loader, {4, 5}, &second), "the second batch");
        for (const LoadResult &r : second)
            QCOMPARE(r.status, LoadResult::Status::Found);
    }

    // A pool of one connection: the second batch waits for the first one's round-trip. The
    // round-trip is an hour long and ends only when the test fires the timers, so what goes out
    // when is decided by the loader alone, not by how fast the machine is.
    void connectionPoolSerialisesBatches()
    {
        DataSourceConnection connection({m_db, u"products"_s, u"id"_s, false});
        TimerQueue timers;
        AsyncSemaphore pool(1);
        BatchLoader loader(
            &timers, [&connection](const auto &k) { return connection.readRows(k, connection.allColumns()); },
            [] { return std::chrono::nanoseconds(1h); });
        loader.setMaxBatch(2);
        loader.setConnections(&pool);
        std::vector<LoadResult> results;
        QCoro::Task<> loads = loadAll(&loader, {1, 2, 3, 4, 5, 6}, &results);
        for (unsigned batch = 1; batch <= 3; ++batch) {
            bounded::until([&] { return loader.batches() == batch; }, "the next batch to go out");
            for (int i = 0; i < 100; ++i) // the other batches retry and find the connection held
                QCoreApplication::processEvents();
            QCOMPARE(loader.batches(), batch);
            QCOMPARE(pool.inUse(), 1);
            const auto delivered
                = std::count_if(results.begin(), results.end(), [](const LoadResult &r) { return !r.value.isEmpty(); });
            QVERIFY(delivered <= 2 * (batch - 1)); // no load ends before its round-trip
            timers.wakeAll(); // the round-trip ends
        }
        bounded::waitFor(loads, "the batch loads");
        QCOMPARE(
            std::count_if(results.begin(), results.end(), [](const LoadResult &r) { return !r.value.isEmpty(); }), 6);
        QCOMPARE(pool.inUse(), 0);
    }

    // Backoff: each wait lies in [0, min(max, base·2^(n−1))]; attempts and deadline are honoured.
    void retryPolicyBounds_data()
    {
        QTest::addColumn<int>("retry");
        QTest::addColumn<qint64>("ceilingUs");
        QTest::addRow("first") << 1 << qint64(1000);
        QTest::addRow("second") << 2 << qint64(2000);
        QTest::addRow("fifth") << 5 << qint64(16000);
        QTest::addRow("capped") << 12 << qint64(100000);
    }
    void retryPolicyBounds()
    {
        QFETCH(int, retry);
        QFETCH(qint64, ceilingUs);
        RetryPolicy p;
        p.maxAttempts = 20;
        QCOMPARE(p.ceilingBefore(retry), std::chrono::nanoseconds(std::chrono::microseconds(ceilingUs)));
        std::uint64_t state = 99;
        std::chrono::nanoseconds lowest = p.ceilingBefore(retry);
        std::chrono::nanoseconds highest {0};
        for (int i = 0; i < 2000; ++i) {
            const auto d = p.delayBefore(retry, state);
            QVERIFY(d.count() >= 0 && d <= p.ceilingBefore(retry));
            lowest = std::min(lowest, d);
            highest = std::max(highest, d);
        }
        // Full jitter: the waits spread over the whole range.
        QVERIFY(lowest < p.ceilingBefore(retry) / 10);
        QVERIFY(highest > p.ceilingBefore(retry) * 9 / 10);
        QVERIFY(p.mayRetry(19, 0s) && !p.mayRetry(20, 0s));
        p.deadline = 50ms;
        QVERIFY(p.mayRetry(1, 49ms) && !p.mayRetry(1, 50ms));
        QVERIFY(isRetryable(SQLITE_BUSY) && isRetryable(SQLITE_IOERR_READ) && !isRetryable(SQLITE_ERROR));
    }
};

QTEST_GUILESS_MAIN(TestBatchLoader)
#include "tst_batchloader.moc"
