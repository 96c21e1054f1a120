#pragma once

#include <QObject>

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

class QSocketNotifier;

namespace cachescope {

/// Precise sleeps for the coroutines of one thread: a heap of deadlines and one Linux timerfd
/// watched by the thread's event loop. QTimer counts in milliseconds; a simulated 250 µs network
/// round-trip needs better, without burning the core in a polling loop. Create it on the thread
/// whose coroutines will sleep; use it only there.
///
///     co_await timers.sleepFor(500us);   // other coroutines of this thread run meanwhile
class TimerQueue : public QObject {
    Q_OBJECT
public:
    explicit TimerQueue(QObject *parent = nullptr);
    ~TimerQueue() override;

    /// Nanoseconds of std::chrono::steady_clock (CLOCK_MONOTONIC), the clock deadlines use.
    static std::int64_t nowNanos();

    class Sleep {
    public:
        bool await_ready() const noexcept;
        void await_suspend(std::coroutine_handle<> handle);
        void await_resume() const noexcept { }

    private:
        friend class TimerQueue;
        Sleep(TimerQueue *queue, std::int64_t deadline)
            : m_queue(queue)
            , m_deadline(deadline)
        {
        }
        TimerQueue *m_queue;
        std::int64_t m_deadline;
    };

    /// Suspends until \a deadlineNanos (nowNanos() scale); returns at once if it has passed.
    [[nodiscard]] Sleep sleepUntil(std::int64_t deadlineNanos);
    [[nodiscard]] Sleep sleepFor(std::chrono::nanoseconds duration);
    /// Runs \a callback on this thread at \a deadlineNanos (or soon after).
    void callAt(std::int64_t deadlineNanos, std::function<void()> callback);

    /// Wakes every sleeper now (they see their deadline as reached): used when a phase stops.
    void wakeAll();
    /// Sleeps and callbacks waiting.
    std::size_t pending() const { return m_heap.size(); }

private:
    struct Entry {
        std::int64_t deadline;
        std::uint64_t sequence; // first come, first served among equal deadlines
        std::coroutine_handle<> handle;
        std::function<void()> callback;
        bool operator>(const Entry &other) const
        {
            return deadline != other.deadline ? deadline > other.deadline : sequence > other.sequence;
        }
    };
    void push(Entry entry);
    void arm();
    void fire(bool all);

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> m_heap;
    std::uint64_t m_sequence = 0;
    std::int64_t m_armedFor = -1;
};

} // namespace cachescope
