// Epoch-based reclamation, which lets cache hits read entries without a lock: an object retired
// while a reader is inside its guard is not freed until that reader has left; one retired with
// no reader inside is freed at the next collection; thread numbers are small and reused.
#include "core/cache/epoch.h"

#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

using namespace cachescope::detail;

namespace {
struct Tracked {
    explicit Tracked(std::atomic<int> *counter)
        : freed(counter)
    {
    }
    ~Tracked() { freed->fetch_add(1); }
    std::atomic<int> *freed;
};

// A thread that enters a guard, says so, and leaves when told.
class Reader {
public:
    Reader()
        : m_thread([this] {
            EpochGuard guard;
            std::unique_lock lock(m_mutex);
            m_inside = true;
            m_changed.notify_all();
            m_changed.wait(lock, [this] { return m_leave; });
        })
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_inside; });
    }
    void leave()
    {
        {
            std::lock_guard lock(m_mutex);
            m_leave = true;
        }
        m_changed.notify_all();
        m_thread.join();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_inside = false;
    bool m_leave = false;
    std::thread m_thread;
};
} // namespace

class TestEpoch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void retiredObjectsWaitForReaders_data()
    {
        QTest::addColumn<int>("objects");
        QTest::addRow("one") << 1;
        QTest::addRow("more than a collection batch") << 500;
    }
    void retiredObjectsWaitForReaders()
    {
        QFETCH(int, objects);
        std::atomic<int> freed {0};
        RetireList list;
        Reader reader; // inside its guard from here
        for (int i = 0; i < objects; ++i)
            list.retire(new Tracked(&freed)); // collections run every 64 retires
        list.collect();
        list.collect();
        QCOMPARE(freed.load(), 0);
        QCOMPARE(int(list.size()), objects);
        reader.leave();
        list.collect();
        QCOMPARE(freed.load(), objects);
        QCOMPARE(list.size(), 0u);
    }

    // Nested guards: the thread stays inside until the outermost one ends.
    void threadStaysInsideUntilTheOutermostGuardEnds()
    {
        std::atomic<int> freed {0};
        RetireList list;
        std::atomic<int> stage {0};
        std::thread reader([&] {
            EpochGuard outer;
            {
                EpochGuard inner;
            }
            stage.store(1);
            while (stage.load() != 2)
                std::this_thread::yield();
        });
        while (stage.load() != 1)
            std::this_thread::yield();
        list.retire(new Tracked(&freed));
        list.collect();
        QCOMPARE(freed.load(), 0);
        stage.store(2);
        reader.join();
        list.collect();
        QCOMPARE(freed.load(), 1);
    }

    // With nobody inside a guard, a collection frees what was retired before it.
    void freedWithoutReaders()
    {
        std::atomic<int> freed {0};
        {
            RetireList list;
            list.retire(new Tracked(&freed));
            list.collect();
            QCOMPARE(freed.load(), 1);
            list.retire(new Tracked(&freed));
        } // the list frees the rest when it goes
        QCOMPARE(freed.load(), 2);
    }

    // Thread numbers index per-thread arrays: distinct among live threads, reused after.
    void threadIndicesAreSmallAndReused()
    {
        constexpr int kThreads = 6;
        std::mutex mutex;
        std::set<unsigned> seen;
        std::atomic<int> arrived {0};
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&] {
                const unsigned index = Epoch::threadIndex();
                {
                    std::lock_guard lock(mutex);
                    seen.insert(index);
                }
                arrived.fetch_add(1);
                while (arrived.load() < kThreads)
                    std::this_thread::yield(); // all alive at once
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(int(seen.size()), kThreads);
        const unsigned largest = *seen.rbegin();
        // Every number the six used is free again: a new thread gets one of them.
        unsigned later = 0;
        std::thread([&] { later = Epoch::threadIndex(); }).join();
        QVERIFY(later <= largest);
    }
};

QTEST_GUILESS_MAIN(TestEpoch)
#include "tst_epoch.moc"
