#include "core/batch/batchloader.h"

#include <QMetaObject>

#include <unordered_map>

using namespace Qt::StringLiterals;

namespace cachescope {

BatchLoader::BatchLoader(TimerQueue *timers, Fetch fetch, Delay delay, QObject *parent)
    : BatchLoader(
        timers,
        [fetch = std::move(fetch)](const std::vector<std::int64_t> &keys, const DataSource::RowsDone &done) {
            RowsResult answer;
            try {
                answer.rows = fetch(keys);
            } catch (const DbError &e) {
                answer.error = e.message();
                answer.errorCode = e.code();
            } catch (const std::exception &e) {
                answer.error = QString::fromUtf8(e.what());
            }
            done(answer);
        },
        std::move(delay), parent)
{
}

BatchLoader::BatchLoader(TimerQueue *timers, AsyncFetch fetch, Delay delay, QObject *parent)
    : QObject(parent)
    , m_timers(timers)
    , m_fetch(std::move(fetch))
    , m_delay(std::move(delay))
{
}

void BatchLoader::Load::await_suspend(std::coroutine_handle<> handle)
{
    m_loader->enqueue({m_key, handle, this});
}

void BatchLoader::enqueue(Waiter waiter)
{
    ++m_requests;
    m_pending.push_back(waiter);
    if (int(m_pending.size()) >= m_maxBatch) {
        // Full: send now, but from the event loop, so this caller finishes suspending first.
        scheduleFlush(-1);
        return;
    }
    if (m_pending.size() == 1)
        scheduleFlush(m_window.count());
}

void BatchLoader::scheduleFlush(std::int64_t afterNanos)
{
    // A flush for the batch now gathering; void once that batch has gone (its generation passed).
    const std::uint64_t generation = m_generation;
    auto flushIfCurrent = [this, generation] {
        if (generation == m_generation)
            flush();
    };
    if (afterNanos < 0)
        QMetaObject::invokeMethod(this, flushIfCurrent, Qt::QueuedConnection);
    else
        m_timers->callAt(TimerQueue::nowNanos() + afterNanos, flushIfCurrent);
}

void BatchLoader::flush()
{
    if (m_pending.empty())
        return;
    if (m_connections && !m_connections->tryAcquire()) {
        // No connection free: the batch goes out when this loader's batch in flight comes back
        // (deliver()), or, if another user of the pool holds them all, at the next try.
        scheduleFlush(std::max<std::int64_t>(m_window.count(), 50'000));
        return;
    }
    ++m_generation; // timers and queued flushes of this batch are void now
    std::vector<Waiter> waiters;
    const std::size_t take = std::min(m_pending.size(), std::size_t(m_maxBatch));
    waiters.assign(m_pending.begin(), m_pending.begin() + std::ptrdiff_t(take));
    m_pending.erase(m_pending.begin(), m_pending.begin() + std::ptrdiff_t(take));
    if (!m_pending.empty()) {
        // More than one batch was waiting: the rest goes out as the next batch, from the loop.
        scheduleFlush(-1);
    }
    auto batch = std::make_shared<Batch>();
    std::unordered_map<std::int64_t, std::size_t> seen;
    batch->keys.reserve(waiters.size());
    for (const Waiter &w : waiters) {
        if (seen.try_emplace(w.key, batch->keys.size()).second)
            batch->keys.push_back(w.key);
    }
    batch->waiters = std::move(waiters);
    batch->firstAttempt = TimerQueue::nowNanos();
    run(batch);
}

void BatchLoader::run(const std::shared_ptr<Batch> &batch)
{
    ++batch->attempts;
    batch->error.clear();
    batch->errorCode = 0;
    ++m_batches;
    m_keysLoaded += batch->keys.size();
    m_fetch(batch->keys, [this, batch](RowsResult &answer) { answered(batch, answer); });
}

void BatchLoader::answered(const std::shared_ptr<Batch> &batch, RowsResult &answer)
{
    batch->rows = std::move(answer.rows);
    batch->error = std::move(answer.error);
    batch->errorCode = answer.errorCode;
    if (batch->error.isEmpty() && batch->rows.size() != batch->keys.size()) {
        batch->error
            = u"a batch of %1 keys came back with %2 answers"_s.arg(batch->keys.size()).arg(batch->rows.size());
    }
    // Every attempt is a statement with its round-trip; a retry waits its backoff on top.
    const std::chrono::nanoseconds delay = m_delay ? m_delay() : std::chrono::nanoseconds(0);
    if (!batch->error.isEmpty() && isRetryable(batch->errorCode)
        && m_retry.mayRetry(batch->attempts, std::chrono::nanoseconds(TimerQueue::nowNanos() - batch->firstAttempt))) {
        ++m_retries;
        if (m_retryCounter)
            m_retryCounter->add();
        const std::chrono::nanoseconds backoff = m_retry.delayBefore(batch->attempts, m_retryState);
        m_timers->callAt(TimerQueue::nowNanos() + (delay + backoff).count(), [this, batch] { run(batch); });
        return;
    }
    if (delay.count() > 0) {
        // The rows arrive one round-trip later; the next batch can go out meanwhile.
        m_timers->callAt(TimerQueue::nowNanos() + delay.count(), [this, batch] { deliver(*batch); });
        return;
    }
    deliver(*batch);
}

void BatchLoader::deliver(Batch &batch)
{
    std::unordered_map<std::int64_t, std::size_t> slot;
    for (std::size_t i = 0; i < batch.keys.size(); ++i)
        slot.emplace(batch.keys[i], i);
    for (Waiter &w : batch.waiters) {
        if (!batch.error.isEmpty()) {
            w.load->m_result = {LoadResult::Status::Failed, {}, batch.error, batch.errorCode};
        } else {
            const std::optional<QByteArray> &row = batch.rows[slot.at(w.key)];
            w.load->m_result = row ? LoadResult {LoadResult::Status::Found, *row, {}}
                                   : LoadResult {LoadResult::Status::NotFound, {}, {}};
        }
        // Resumed from the event loop: each caller goes on in its own turn, not inside this one.
        QMetaObject::invokeMethod(
            this, [handle = w.handle] { handle.resume(); }, Qt::QueuedConnection);
    }
    if (m_connections) {
        m_connections->release();
        // Loads that gathered while every connection was busy go out now.
        if (!m_pending.empty())
            flush();
    }
}

} // namespace cachescope
