// What a cache miss costs beyond the database read, part by part, on one thread (no event loop,
// no second worker, so each part is timed alone): the baseline's read (every column fetched,
// nothing kept), the cached phase's read (the same statement, the row encoded), and the cache's
// own bookkeeping of a miss with the row in hand — the failed lookup, the single-flight ticket,
// the fill (version lock, put, eviction, retirement) — on an L1 that holds 1 entry (every fill
// evicts) and one that holds many. Rounds alternate; medians in ns per operation.
//
//   build/release/bench/miss_path [--rows N] [--ops N] [--rounds N] [--capacity N]
#include "bench/benchcommon.h"
#include "core/cache/tieredcache.h"
#include "core/db/demodatabase.h"
#include "core/load/datasource.h"
#include "core/util/random.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>

#include <chrono>
#include <cstdio>

using namespace cachescope;
using namespace Qt::StringLiterals;
using cachescope::bench::median;

namespace {

template<typename F> double nanosPerOp(int ops, F &&f)
{
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < ops; ++i)
        f(i);
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / ops;
}

TieredCacheConfig configFor(std::size_t capacity)
{
    TieredCacheConfig c;
    c.l1.capacity = capacity;
    c.l1.ttl = std::chrono::nanoseconds(0);
    return c;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"A cache miss, part by part, on one thread"_s);
    parser.addHelpOption();
    const QCommandLineOption rowsOption(u"rows"_s, u"Rows of the demo database."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption opsOption(u"ops"_s, u"Operations timed per part and round."_s, u"n"_s, u"200000"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Rounds."_s, u"n"_s, u"5"_s);
    const QCommandLineOption capacityOption(
        u"capacity"_s, u"The larger L1 (entries; full before timing)."_s, u"n"_s, u"20000"_s);
    parser.addOptions({rowsOption, opsOption, roundsOption, capacityOption});
    parser.process(app);
    const std::int64_t rows = parser.value(rowsOption).toLongLong();
    const int ops = parser.value(opsOption).toInt();
    const int rounds = parser.value(roundsOption).toInt();
    const auto capacity = std::size_t(parser.value(capacityOption).toLongLong());

    QTemporaryDir dir;
    const QString db = dir.filePath(u"demo.db"_s);
    DemoDatabase::create(db, rows, 1);
    DataSourceConnection connection({db, u"products"_s, u"id"_s, false});
    const Projection &all = connection.allColumns();
    std::uint64_t state = 7;
    std::vector<std::int64_t> keys(std::size_t(ops) * 2);
    for (auto &k : keys)
        k = 1 + std::int64_t(nextRandom(state) % std::uint64_t(rows));
    const QByteArray row = *connection.readRow(1, all);

    std::vector<double> consume, read, lookup, ticket, fill1, fillN, whole1;
    std::uint64_t sink = 0;
    // Untimed: every key read once, so that no round pays for the first touch of a page.
    for (std::int64_t key : keys)
        sink += connection.consumeRow(key, all);
    for (int r = 0; r < rounds; ++r) {
        const bool readFirst = r % 2;
        const auto timeConsume
            = [&] { consume.push_back(nanosPerOp(ops, [&](int i) { sink += connection.consumeRow(keys[i], all); })); };
        const auto timeRead = [&] {
            read.push_back(nanosPerOp(ops, [&](int i) { sink += connection.readRow(keys[i], all)->size(); }));
        };
        if (readFirst) {
            timeRead();
            timeConsume();
        } else {
            timeConsume();
            timeRead();
        }

        // The bookkeeping of a miss, without the database: keys never cached before (L1 of 1).
        TieredCache one(configFor(1));
        LoadResult found {LoadResult::Status::Found, row, {}};
        lookup.push_back(nanosPerOp(
            ops, [&](int i) { sink += one.readCachedInPlace(keys[i] + rows, [](const QByteArray &) {}).has_value(); }));
        ticket.push_back(nanosPerOp(ops, [&](int i) {
            TieredCache::LoadTicket t = one.beginLoad(keys[i] + 2 * rows);
            one.finishLoad(t, LoadResult {LoadResult::Status::NotFound, {}, {}});
        }));
        fill1.push_back(nanosPerOp(ops, [&](int i) {
            TieredCache::LoadTicket t = one.beginLoad(keys[i]);
            one.finishLoad(t, found);
        }));
        // A full L1 of `capacity` entries: every fill of a new key evicts one.
        TieredCache many(configFor(capacity));
        for (std::size_t k = 0; k < capacity; ++k) {
            TieredCache::LoadTicket t = many.beginLoad(std::int64_t(k) + 10 * rows);
            many.finishLoad(t, found);
        }
        fillN.push_back(nanosPerOp(ops, [&](int i) {
            TieredCache::LoadTicket t = many.beginLoad(keys[i]);
            many.finishLoad(t, found);
        }));
        // The whole miss as the client makes it: lookup, ticket, read and encode, fill.
        TieredCache whole(configFor(1));
        whole1.push_back(nanosPerOp(ops, [&](int i) {
            const std::int64_t key = keys[std::size_t(ops) + std::size_t(i)];
            if (whole.readCachedInPlace(key, [](const QByteArray &) {}))
                return;
            TieredCache::LoadTicket t = whole.beginLoad(key);
            std::optional<QByteArray> value = connection.readRow(key, all);
            whole.finishLoad(t, LoadResult {LoadResult::Status::Found, std::move(*value), {}});
        }));
    }
    const double base = median(consume);
    std::printf("one thread, %lld rows (%lld B a row encoded), %d ops a part, %d rounds, medians:\n",
        static_cast<long long>(rows), static_cast<long long>(row.size()), ops, rounds);
    std::printf("| part | ns per op | in baseline reads |\n|---|---|---|\n");
    const auto line = [&](const char *what, double ns) { std::printf("| %s | %.0f | %.3f |\n", what, ns, ns / base); };
    line("baseline read (consumeRow: every column fetched, nothing kept)", base);
    line("cached phase's read (readRow: the same, the row encoded)", median(read));
    line("  of which encoding (readRow − consumeRow)", median(read) - base);
    line("failed L1 lookup (readCachedInPlace, miss)", median(lookup));
    line("single-flight ticket alone (beginLoad + finishLoad, no row)", median(ticket));
    line("ticket + fill, L1 of 1 (every put evicts)", median(fill1));
    line(qPrintable(u"ticket + fill, full L1 of %1 (every put evicts)"_s.arg(capacity)), median(fillN));
    line("the whole miss: lookup, ticket, readRow, fill (L1 of 1)", median(whole1));
    std::printf(
        "miss ÷ baseline read: %.3f (%llu)\n", median(whole1) / base, static_cast<unsigned long long>(sink % 7));
    return 0;
}
