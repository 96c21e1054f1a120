// Precise coroutine sleeps on one thread: nobody wakes before its deadline, sleepers wake in
// deadline order, other work runs meanwhile, wakeAll() ends every sleep at once.
#include "boundedwait.h"
#include "core/batch/timerqueue.h"

#include <QCoroTask>
#include <QTest>
#include <QTimer>

#include <vector>

using namespace cachescope;
using namespace std::chrono_literals;

namespace {
struct Wake {
    int id;
    std::int64_t deadline;
    std::int64_t woke;
};

QCoro::Task<> sleeper(TimerQueue *queue, int id, std::int64_t deadline, std::vector<Wake> *log)
{
    co_await queue->sleepUntil(deadline);
    log->push_back({id, deadline, TimerQueue::nowNanos()});
}

QCoro::Task<> sleepers(TimerQueue *queue, std::vector<std::chrono::nanoseconds> delays, std::vector<Wake> *log)
{
    // One base for every deadline, 50 ms ahead: however slow the machine (sanitizers) is at
    // starting the sleepers, none is due before all of them sleep, so the order is the queue's.
    const std::int64_t base = TimerQueue::nowNanos() + 50'000'000;
    std::vector<QCoro::Task<>> tasks;
    for (std::size_t i = 0; i < delays.size(); ++i)
        tasks.push_back(sleeper(queue, int(i), base + delays[i].count(), log));
    for (auto &t : tasks)
        co_await t;
}
} // namespace

class TestTimerQueue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wakesInDeadlineOrderNeverEarly_data()
    {
        QTest::addColumn<std::vector<std::chrono::nanoseconds>>("delays");
        QTest::addRow("sub-millisecond") << std::vector<std::chrono::nanoseconds> {300us, 100us, 200us, 50us};
        QTest::addRow("mixed") << std::vector<std::chrono::nanoseconds> {5ms, 250us, 1ms, 0ns, 2ms, 250us};
        QTest::addRow("past deadlines: no wait") << std::vector<std::chrono::nanoseconds> {-2s, -1s};
        std::vector<std::chrono::nanoseconds> many;
        for (int i = 0; i < 1000; ++i)
            many.push_back(std::chrono::microseconds((i * 7919) % 3000));
        QTest::addRow("1000 sleepers") << many;
    }
    void wakesInDeadlineOrderNeverEarly()
    {
        QFETCH(std::vector<std::chrono::nanoseconds>, delays);
        TimerQueue queue;
        std::vector<Wake> log;
        bounded::waitFor(sleepers(&queue, delays, &log), "the sleepers");
        QCOMPARE(log.size(), delays.size());
        for (std::size_t i = 0; i < log.size(); ++i) {
            QVERIFY2(log[i].woke >= log[i].deadline, "woke before its deadline");
            if (i > 0)
                QVERIFY2(log[i].deadline >= log[i - 1].deadline, "woke out of deadline order");
        }
        QCOMPARE(queue.pending(), 0u);
    }

    // While coroutines sleep, the thread's event loop keeps running other work.
    void eventLoopRunsWhileSleeping()
    {
        TimerQueue queue;
        std::int64_t handledAt = 0;
        QTimer::singleShot(0, [&handledAt] { handledAt = TimerQueue::nowNanos(); });
        std::vector<Wake> log;
        bounded::waitFor(sleepers(&queue, {60ms}, &log), "the sleeper");
        QCOMPARE(log.size(), 1u);
        // An event posted before the sleep was handled while it slept, not after it.
        QVERIFY(handledAt > 0 && handledAt < log[0].woke);
    }

    void callbacksRunAtTheirDeadline()
    {
        TimerQueue queue;
        std::vector<int> order;
        const std::int64_t now = TimerQueue::nowNanos();
        queue.callAt(now + 2'000'000, [&order] { order.push_back(2); });
        queue.callAt(now + 1'000'000, [&order] { order.push_back(1); });
        queue.callAt(now + 1'000'000, [&order] { order.push_back(11); }); // same deadline: in order given
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 3u, 5000);
        QCOMPARE(order, (std::vector<int> {1, 11, 2}));
    }

    // wakeAll() ends long sleeps now: how a phase stops without waiting for think times.
    void wakeAllEndsEverySleep()
    {
        TimerQueue queue;
        std::vector<Wake> log;
        QCoro::Task<> task = sleepers(&queue, {1h, 2h, 30min}, &log);
        QCOMPARE(queue.pending(), 3u);
        queue.wakeAll();
        bounded::waitFor(task, "the woken sleepers");
        QCOMPARE(log.size(), 3u);
        QCOMPARE(queue.pending(), 0u);
    }
};

QTEST_GUILESS_MAIN(TestTimerQueue)
#include "tst_timerqueue.moc"
