// AsyncSemaphore: never more than the limit in flight (atomic high-water mark), limit changes up
// and down while coroutines wait, first-come first-served wake-up, and correct hand-over across
// threads. Coroutines are driven with bounded waits inside ordinary test slots.
#include "boundedwait.h"
#include "core/batch/asyncsemaphore.h"

#include <QCoro/QCoroTask>
#include <QCoro/QCoroTimer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <vector>

using namespace cachescope;
using namespace std::chrono_literals;

namespace {
struct Flight {
    std::atomic<int> inFlight {0};
    std::atomic<int> highWater {0};
    std::atomic<int> done {0};

    void enter()
    {
        const int now = inFlight.fetch_add(1) + 1;
        int seen = highWater.load();
        while (now > seen && !highWater.compare_exchange_weak(seen, now)) { }
    }
    void leave()
    {
        inFlight.fetch_sub(1);
        done.fetch_add(1);
    }
};

// One unit of work: take a permit, hold it across a timer (other coroutines run meanwhile),
// give it back. Arguments by value (QCoro 0.8: no references into a suspended frame).
QCoro::Task<> work(AsyncSemaphore *semaphore, QObject *context, Flight *flight, std::vector<int> *order, int id)
{
    co_await semaphore->acquire(context);
    flight->enter();
    if (order)
        order->push_back(id);
    QCoro::Task<> pause = QCoro::sleepFor(2ms); // named: no destructible temporary in co_await
    co_await pause;
    flight->leave();
    semaphore->release();
}
} // namespace

class TestAsyncSemaphore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void neverMoreThanTheLimit_data()
    {
        QTest::addColumn<int>("limit");
        QTest::addColumn<int>("tasks");
        QTest::addRow("1 of 20") << 1 << 20;
        QTest::addRow("3 of 50") << 3 << 50;
        QTest::addRow("limit above the task count") << 64 << 10;
    }
    void neverMoreThanTheLimit()
    {
        QFETCH(int, limit);
        QFETCH(int, tasks);
        AsyncSemaphore semaphore(limit);
        Flight flight;
        for (int i = 0; i < tasks; ++i)
            work(&semaphore, this, &flight, nullptr, i);
        bounded::until([&] { return flight.done.load() == tasks; }, "flight.done.load() == tasks");
        QCOMPARE(flight.highWater.load(), std::min(limit, tasks));
        QCOMPARE(semaphore.inUse(), 0);
        QCOMPARE(semaphore.waiting(), 0);
    }

    // Raising the limit lets more in at once; lowering it takes effect as permits return.
    void limitChangesWhileWaiting()
    {
        AsyncSemaphore semaphore(2);
        Flight flight;
        for (int i = 0; i < 200; ++i)
            work(&semaphore, this, &flight, nullptr, i);
        bounded::until([&] { return flight.done.load() >= 10; }, "flight.done.load() >= 10");
        QCOMPARE(flight.highWater.load(), 2);
        semaphore.setLimit(6);
        bounded::until([&] { return flight.highWater.load() == 6; }, "flight.highWater.load() == 6");
        semaphore.setLimit(1);
        // Once the extra permits have come back, at most one coroutine is inside.
        bounded::until([&] { return semaphore.inUse() <= 1; }, "semaphore.inUse() <= 1");
        const int doneAtOne = flight.done.load();
        bounded::until([&] { return flight.done.load() >= doneAtOne + 10; }, "flight.done.load() >= doneAtOne + 10");
        QVERIFY(flight.inFlight.load() <= 1);
        semaphore.setLimit(50);
        bounded::until([&] { return flight.done.load() == 200; }, "flight.done.load() == 200");
    }

    // Waiters are served in the order they asked.
    void firstComeFirstServed()
    {
        AsyncSemaphore semaphore(0);
        Flight flight;
        std::vector<int> order;
        for (int i = 0; i < 8; ++i)
            work(&semaphore, this, &flight, &order, i);
        QCOMPARE(semaphore.waiting(), 8);
        QVERIFY(!semaphore.tryAcquire());
        semaphore.setLimit(1);
        bounded::until([&] { return flight.done.load() == 8; }, "flight.done.load() == 8");
        QCOMPARE(order, (std::vector<int> {0, 1, 2, 3, 4, 5, 6, 7}));
    }

    // Coroutines on two threads share one semaphore; each resumes on its own thread.
    void coroutinesResumeOnTheirOwnThreads()
    {
        AsyncSemaphore semaphore(3);
        Flight flight;
        std::atomic<int> wrongThread {0};
        QThread threads[2];
        QObject contexts[2];
        for (int t = 0; t < 2; ++t) {
            contexts[t].moveToThread(&threads[t]);
            threads[t].start();
        }
        for (int t = 0; t < 2; ++t) {
            QObject *context = &contexts[t];
            QThread *thread = &threads[t];
            QMetaObject::invokeMethod(context, [&semaphore, &flight, &wrongThread, context, thread] {
                for (int i = 0; i < 100; ++i) {
                    [](AsyncSemaphore *s, QObject *ctx, Flight *f, std::atomic<int> *wrong,
                        QThread *th) -> QCoro::Task<> {
                        co_await s->acquire(ctx);
                        if (QThread::currentThread() != th)
                            wrong->fetch_add(1);
                        f->enter();
                        QCoro::Task<> pause = QCoro::sleepFor(1ms);
                        co_await pause;
                        f->leave();
                        s->release();
                    }(&semaphore, context, &flight, &wrongThread, thread);
                }
            });
        }
        bounded::until([&] { return flight.done.load() == 200; }, "flight.done.load() == 200");
        for (auto &thread : threads) {
            thread.quit();
            thread.wait();
        }
        QVERIFY(flight.highWater.load() <= 3);
        QCOMPARE(wrongThread.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAsyncSemaphore)
#include "tst_asyncsemaphore.moc"
