#include "core/batch/timerqueue.h"

#include <QSocketNotifier>

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace cachescope {

std::int64_t TimerQueue::nowNanos()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

TimerQueue::TimerQueue(QObject *parent)
    : QObject(parent)
    , m_fd(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC))
{
    if (m_fd < 0)
        throw std::runtime_error(std::string("timerfd_create failed: ") + std::strerror(errno));
    m_notifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, [this] { fire(false); });
}

TimerQueue::~TimerQueue()
{
    delete m_notifier;
    ::close(m_fd);
}

bool TimerQueue::Sleep::await_ready() const noexcept
{
    return m_deadline <= nowNanos();
}

void TimerQueue::Sleep::await_suspend(std::coroutine_handle<> handle)
{
    m_queue->push({m_deadline, 0, handle, {}});
}

TimerQueue::Sleep TimerQueue::sleepUntil(std::int64_t deadlineNanos)
{
    return Sleep(this, deadlineNanos);
}

TimerQueue::Sleep TimerQueue::sleepFor(std::chrono::nanoseconds duration)
{
    return Sleep(this, nowNanos() + duration.count());
}

void TimerQueue::callAt(std::int64_t deadlineNanos, std::function<void()> callback)
{
    push({deadlineNanos, 0, {}, std::move(callback)});
}

void TimerQueue::push(Entry entry)
{
    entry.sequence = m_sequence++;
    m_heap.push(std::move(entry));
    if (m_armedFor < 0 || m_heap.top().deadline < m_armedFor)
        arm();
}

void TimerQueue::arm()
{
    itimerspec spec {};
    if (!m_heap.empty()) {
        // An absolute deadline already in the past fires at once; 0 would disarm, so use 1 ns.
        const std::int64_t deadline = std::max<std::int64_t>(m_heap.top().deadline, 1);
        spec.it_value.tv_sec = time_t(deadline / 1'000'000'000);
        spec.it_value.tv_nsec = long(deadline % 1'000'000'000);
        m_armedFor = deadline;
    } else {
        m_armedFor = -1;
    }
    timerfd_settime(m_fd, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void TimerQueue::fire(bool all)
{
    std::uint64_t expirations = 0;
    while (::read(m_fd, &expirations, sizeof expirations) > 0) { }
    m_armedFor = -1;
    // Take what is due first: resumed coroutines may sleep again, which pushes new entries.
    std::vector<Entry> due;
    const std::int64_t now = nowNanos();
    while (!m_heap.empty() && (all || m_heap.top().deadline <= now)) {
        due.push_back(m_heap.top());
        m_heap.pop();
    }
    arm();
    for (Entry &e : due) {
        if (e.handle)
            e.handle.resume();
        else if (e.callback)
            e.callback();
    }
}

void TimerQueue::wakeAll()
{
    fire(true);
}

} // namespace cachescope
