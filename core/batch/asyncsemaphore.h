#pragma once

#include <QObject>
#include <QPointer>

#include <coroutine>
#include <cstdint>
#include <deque>
#include <mutex>

namespace cachescope {

/// A counting semaphore for coroutines: acquiring suspends the coroutine (never the thread)
/// until a permit is free; waiters are served first come, first served. The limit can change at
/// any time: raising it wakes waiters at once, lowering it takes effect as permits come back.
/// Safe to use from several threads: a waiter is resumed on the thread of the context object it
/// gave, through that thread's event loop.
///
///     co_await semaphore.acquire(this);   // `this`: a QObject living on the coroutine's thread
///     ... at most limit() coroutines here ...
///     semaphore.release();
class AsyncSemaphore {
public:
    /// Who is served first: every waiting Foreground coroutine before any Background one (live
    /// requests before warm-up loads), first come first served within each.
    enum class Priority : std::uint8_t { Foreground, Background };

    explicit AsyncSemaphore(int limit);
    AsyncSemaphore(const AsyncSemaphore &) = delete;
    AsyncSemaphore &operator=(const AsyncSemaphore &) = delete;

    /// What acquire() returns; co_await it.
    class Acquire {
    public:
        bool await_ready() const noexcept { return m_ready; }
        bool await_suspend(std::coroutine_handle<> handle);
        void await_resume() const noexcept { }

    private:
        friend class AsyncSemaphore;
        Acquire(AsyncSemaphore *semaphore, QObject *context, bool ready, Priority priority)
            : m_semaphore(semaphore)
            , m_context(context)
            , m_ready(ready)
            , m_priority(priority)
        {
        }
        AsyncSemaphore *m_semaphore;
        QObject *m_context;
        bool m_ready;
        Priority m_priority;
    };

    /// Takes a permit, suspending until one is free; \a context decides the thread to resume on.
    [[nodiscard]] Acquire acquire(QObject *context, Priority priority = Priority::Foreground);
    /// Takes a permit if one is free and nobody is waiting.
    bool tryAcquire();
    /// Gives a permit back (wakes the longest waiter if the limit allows).
    void release();
    /// Changes the number of permits.
    void setLimit(int limit);

    int limit() const;
    /// Permits held right now (may exceed limit() for a while after lowering it).
    int inUse() const;
    /// Coroutines waiting for a permit.
    int waiting() const;

private:
    struct Waiter {
        std::coroutine_handle<> handle;
        QPointer<QObject> context;
    };
    bool takeIfFreeLocked(Priority priority);
    void wakeLocked();

    mutable std::mutex m_mutex;
    int m_limit;
    int m_inUse = 0;
    std::deque<Waiter> m_waiters; // foreground
    std::deque<Waiter> m_background;
};

} // namespace cachescope
