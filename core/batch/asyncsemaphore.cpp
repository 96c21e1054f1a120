#include "core/batch/asyncsemaphore.h"

#include <QMetaObject>

#include <algorithm>

namespace cachescope {

AsyncSemaphore::AsyncSemaphore(int limit)
    : m_limit(std::max(0, limit))
{
}

bool AsyncSemaphore::takeIfFreeLocked(Priority priority)
{
    // Fair: nobody overtakes a coroutine that is already waiting at its priority or above.
    const bool ahead = !m_waiters.empty() || (priority == Priority::Background && !m_background.empty());
    if (!ahead && m_inUse < m_limit) {
        ++m_inUse;
        return true;
    }
    return false;
}

AsyncSemaphore::Acquire AsyncSemaphore::acquire(QObject *context, Priority priority)
{
    std::lock_guard lock(m_mutex);
    return Acquire(this, context, takeIfFreeLocked(priority), priority);
}

bool AsyncSemaphore::Acquire::await_suspend(std::coroutine_handle<> handle)
{
    std::lock_guard lock(m_semaphore->m_mutex);
    if (m_semaphore->takeIfFreeLocked(m_priority))
        return false; // a permit came free meanwhile: go on without suspending
    (m_priority == Priority::Foreground ? m_semaphore->m_waiters : m_semaphore->m_background)
        .push_back({handle, QPointer<QObject>(m_context)});
    return true;
}

bool AsyncSemaphore::tryAcquire()
{
    std::lock_guard lock(m_mutex);
    return takeIfFreeLocked(Priority::Foreground);
}

void AsyncSemaphore::wakeLocked()
{
    while ((!m_waiters.empty() || !m_background.empty()) && m_inUse < m_limit) {
        std::deque<Waiter> &queue = !m_waiters.empty() ? m_waiters : m_background;
        Waiter waiter = queue.front();
        queue.pop_front();
        if (!waiter.context)
            continue; // its owner is gone; so is the coroutine's reason to run
        ++m_inUse;
        // The permit is the waiter's now; it resumes on its own thread's event loop.
        const std::coroutine_handle<> handle = waiter.handle;
        QMetaObject::invokeMethod(
            waiter.context.data(), [handle] { handle.resume(); }, Qt::QueuedConnection);
    }
}

void AsyncSemaphore::release()
{
    std::lock_guard lock(m_mutex);
    if (m_inUse > 0)
        --m_inUse;
    wakeLocked();
}

void AsyncSemaphore::setLimit(int limit)
{
    std::lock_guard lock(m_mutex);
    m_limit = std::max(0, limit);
    wakeLocked();
}

int AsyncSemaphore::limit() const
{
    std::lock_guard lock(m_mutex);
    return m_limit;
}

int AsyncSemaphore::inUse() const
{
    std::lock_guard lock(m_mutex);
    return m_inUse;
}

int AsyncSemaphore::waiting() const
{
    std::lock_guard lock(m_mutex);
    return int(m_waiters.size() + m_background.size());
}

} // namespace cachescope
