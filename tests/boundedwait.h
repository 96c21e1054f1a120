#pragma once

// Waits that end. A broken single-flight, semaphore, timer queue or batch loader would make a
// plain QCoro::waitFor() wait until CTest's timeout; these fail in seconds, naming what did not
// finish. The wait aborts the test process (qFatal) rather than returning from the test slot: a
// coroutine still suspended on the slot's locals must never be resumed after they are gone.
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <chrono>
#include <future>
#include <optional>
#include <type_traits>

#if __has_include(<QCoroTask>)
#include <QCoroTask>
#endif

namespace bounded {

inline constexpr std::chrono::milliseconds kLimit {
    30000}; // ample under ASan on a loaded machine, far below CTest's timeout

#if __has_include(<QCoroTask>) // tests of layers with coroutines
namespace detail {
template<typename T> struct Outcome {
    std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> value;
    bool done = false;
};

// Parameters by value (pointers), no captures (TOOLCHAIN.md's coroutine rules).
template<typename T> QCoro::Task<> drive(QCoro::Task<T> *task, Outcome<T> *outcome, QEventLoop *loop)
{
    if constexpr (std::is_void_v<T>) {
        co_await *task;
        outcome->value = true;
    } else {
        outcome->value = co_await *task;
    }
    outcome->done = true;
    loop->quit();
}
} // namespace detail

/// Runs the event loop until \a task completes and returns its value; after \a limit, ends the
/// test with "<what> did not finish within N ms". The task must not throw (QCoro 0.8).
template<typename T> T waitFor(QCoro::Task<T> &task, const char *what, std::chrono::milliseconds limit = kLimit)
{
    QEventLoop loop;
    detail::Outcome<T> outcome;
    QCoro::Task<> driver = detail::drive(&task, &outcome, &loop);
    (void)driver;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    deadline.start(limit);
    if (!outcome.done)
        loop.exec();
    if (!outcome.done)
        qFatal("%s did not finish within %lld ms", what, static_cast<long long>(limit.count()));
    if constexpr (!std::is_void_v<T>)
        return std::move(*outcome.value);
}

/// As above, for a task made in the call.
template<typename T> T waitFor(QCoro::Task<T> &&task, const char *what, std::chrono::milliseconds limit = kLimit)
{
    QCoro::Task<T> owned = std::move(task);
    return waitFor(owned, what, limit);
}
#endif

/// Processes events until \a done() is true; after \a limit, ends the test as waitFor() does.
template<typename Predicate> void until(Predicate &&done, const char *what, std::chrono::milliseconds limit = kLimit)
{
    QDeadlineTimer deadline(limit);
    while (!done()) {
        if (deadline.hasExpired())
            qFatal("still not %s after %lld ms", what, static_cast<long long>(limit.count()));
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(1);
    }
}

/// The value of \a future; after \a limit, ends the test as waitFor() does.
template<typename T> T get(std::future<T> &future, const char *what, std::chrono::milliseconds limit = kLimit)
{
    if (future.wait_for(limit) != std::future_status::ready)
        qFatal("%s did not finish within %lld ms", what, static_cast<long long>(limit.count()));
    return future.get();
}

} // namespace bounded
