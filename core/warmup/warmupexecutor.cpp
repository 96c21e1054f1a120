#include "core/warmup/warmupexecutor.h"

#include "core/batch/asyncsemaphore.h"
#include "core/cache/tieredcache.h"
#include "core/db/database.h"
#include "core/load/callbackawaiter.h"

#include <exception>

using namespace Qt::StringLiterals;

namespace cachescope {

std::vector<WarmupChunk> makeWarmupChunks(
    const std::vector<std::int64_t> &keys, std::size_t chunkSize, std::size_t l1Keys)
{
    chunkSize = std::max<std::size_t>(chunkSize, 1);
    std::vector<WarmupChunk> chunks;
    for (std::size_t i = 0; i < keys.size();) {
        // A chunk never straddles the L1 boundary, so each is wholly L1-and-L2 or L2 only.
        const std::size_t limit = i < l1Keys ? std::min(l1Keys, keys.size()) : keys.size();
        const std::size_t end = std::min(i + chunkSize, limit);
        WarmupChunk chunk;
        chunk.keys.assign(keys.begin() + std::ptrdiff_t(i), keys.begin() + std::ptrdiff_t(end));
        chunk.intoL1 = i < l1Keys;
        chunks.push_back(std::move(chunk));
        i = end;
    }
    return chunks;
}

namespace {

struct WarmupContext {
    TimerQueue *timers = nullptr;
    TieredCache *cache = nullptr;
    AsyncRowsLoader load;
    std::function<std::chrono::nanoseconds()> roundTrip;
    WarmupCounters *counters = nullptr;
};

QCoro::Task<int> warmChunk(WarmupContext *ctx, WarmupChunk chunk)
{
    // Versions first: an invalidation or write while the statement runs keeps its row out.
    std::vector<std::uint64_t> versions;
    versions.reserve(chunk.keys.size());
    for (const std::int64_t key : chunk.keys)
        versions.push_back(ctx->cache->fillVersion(key));
    ctx->counters->statements.fetch_add(1, std::memory_order_relaxed);
    const int inFlight = ctx->counters->inFlight.fetch_add(1) + 1;
    for (int seen = ctx->counters->maxInFlight.load(); inFlight > seen;) {
        if (ctx->counters->maxInFlight.compare_exchange_weak(seen, inFlight))
            break;
    }
    CallbackAwaiter<RowsResult> op(
        [ctx, &chunk](CallbackAwaiter<RowsResult>::Completion done) { ctx->load(chunk.keys, std::move(done)); });
    RowsResult answer = co_await op;
    std::vector<std::optional<QByteArray>> rows = std::move(answer.rows);
    std::exception_ptr failure;
    if (!answer.error.isEmpty())
        failure = std::make_exception_ptr(DbError(answer.errorCode, answer.error));
    else if (rows.size() != chunk.keys.size())
        failure = std::make_exception_ptr(DbError(
            -1, u"a warm-up statement of %1 keys came back with %2 answers"_s.arg(chunk.keys.size()).arg(rows.size())));
    if (ctx->roundTrip) {
        // A remote database answers one round-trip later, errors included.
        auto sleep = ctx->timers->sleepFor(ctx->roundTrip());
        co_await sleep;
    }
    ctx->counters->inFlight.fetch_sub(1);
    if (failure)
        std::rethrow_exception(failure);
    int filled = 0;
    std::uint64_t missing = 0, skipped = 0;
    for (std::size_t i = 0; i < chunk.keys.size(); ++i) {
        if (!rows[i])
            ++missing;
        else if (ctx->cache->warm(chunk.keys[i], versions[i], *rows[i], chunk.intoL1))
            ++filled;
        else
            ++skipped;
    }
    ctx->counters->keysLoaded.fetch_add(std::uint64_t(filled), std::memory_order_relaxed);
    ctx->counters->keysMissing.fetch_add(missing, std::memory_order_relaxed);
    ctx->counters->keysAlreadyCached.fetch_add(skipped, std::memory_order_relaxed);
    ctx->counters->keysDone.fetch_add(chunk.keys.size(), std::memory_order_relaxed);
    co_return filled;
}

} // namespace

QCoro::Task<BatchOutcome<int>> runWarmup(QObject *context, TimerQueue *timers, TieredCache *cache, RowsLoader load,
    std::vector<WarmupChunk> chunks, WarmupOptions options, std::shared_ptr<BatchControl> control,
    WarmupCounters *counters)
{
    AsyncRowsLoader async
        = [load = std::move(load)](const std::vector<std::int64_t> &keys, const DataSource::RowsDone &done) {
              RowsResult answer;
              try {
                  answer.rows = load(keys);
              } catch (const DbError &e) {
                  answer.error = e.message();
                  answer.errorCode = e.code();
              }
              done(answer);
          };
    return runWarmup(
        context, timers, cache, std::move(async), std::move(chunks), std::move(options), std::move(control), counters);
}

QCoro::Task<BatchOutcome<int>> runWarmup(QObject *context, TimerQueue *timers, TieredCache *cache, AsyncRowsLoader load,
    std::vector<WarmupChunk> chunks, WarmupOptions options, std::shared_ptr<BatchControl> control,
    WarmupCounters *counters)
{
    WarmupContext ctx {timers, cache, std::move(load), options.roundTrip, counters};
    std::vector<std::size_t> sizes;
    sizes.reserve(chunks.size());
    for (const WarmupChunk &chunk : chunks)
        sizes.push_back(chunk.keys.size());
    BatchOptions batch;
    batch.concurrency = std::max(1, options.concurrency);
    batch.retry = options.retry;
    batch.seed = options.seed;
    batch.gate = options.connections;
    batch.priority = options.background ? AsyncSemaphore::Priority::Background : AsyncSemaphore::Priority::Foreground;
    batch.yieldEvery = options.background ? 1 : 64;
    WarmupContext *c = &ctx;
    auto run = processBatch<WarmupChunk, int>(
        context, timers, std::move(chunks), [c](WarmupChunk chunk) { return warmChunk(c, std::move(chunk)); },
        std::move(batch), std::move(control));
    BatchOutcome<int> outcome = co_await run;
    for (const std::size_t i : outcome.failed)
        counters->keysFailed.fetch_add(sizes[i], std::memory_order_relaxed);
    for (const std::size_t i : outcome.failed)
        counters->keysDone.fetch_add(sizes[i], std::memory_order_relaxed);
    co_return outcome;
}

} // namespace cachescope
