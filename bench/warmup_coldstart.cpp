// Cold-start time cold vs warmed (same seed, same run) on the default scenario at several
// simulated round-trips, and what warm-ups of 1k, 10k and 100k keys cost (time, statements).
// Every figure comes from the real PhaseRunner on a real SQLite file.
#include "bench/benchcommon.h"
#include "core/db/demodatabase.h"
#include "core/warmup/hotkeytracker.h"
#include "core/workload/keydistribution.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTextStream>

#include <chrono>

using namespace cachescope;
using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Cold start cold vs warmed, and warm-up cost by size"_s);
    parser.addHelpOption();
    const QCommandLineOption secondsOption(u"seconds"_s, u"Length of each cached phase."_s, u"s"_s, u"10"_s);
    const QCommandLineOption rowsOption(u"rows"_s, u"Rows of the demo table."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption rttsOption(
        u"rtts"_s, u"Round-trips to compare, comma-separated."_s, u"list"_s, u"0,500us"_s);
    const QCommandLineOption sizesOption(
        u"sizes"_s, u"Warm-up sizes to cost, comma-separated."_s, u"list"_s, u"1000,10000,100000"_s);
    const QCommandLineOption recordsOption(
        u"records"_s, u"Reads for the tracking-cost measurement."_s, u"n"_s, u"20000000"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Runs of each cold-start row."_s, u"n"_s, u"3"_s);
    const QCommandLineOption prioritiesOption(
        u"priorities"_s, u"warmup.priority values to compare."_s, u"list"_s, u"background,foreground"_s);
    parser.addOptions(
        {secondsOption, rowsOption, rttsOption, sizesOption, recordsOption, roundsOption, prioritiesOption});
    parser.process(app);
    QTextStream out(stdout);

    QTemporaryDir dir;
    const QString db = dir.filePath(u"demo.db"_s);
    const std::int64_t rows = parser.value(rowsOption).toLongLong();
    DemoDatabase::create(db, rows, 1);
    const auto seconds = std::chrono::milliseconds(std::llround(parser.value(secondsOption).toDouble() * 1000));

    out << "## cold start, cold vs warmed (top-n of the hot set the cold run saw; default scenario otherwise)\n";
    out << "| round-trip | priority | cold run | warmed run | reduction | warm-up | keys loaded | statements | hit "
           "rate "
           "cold / warmed |\n";
    const int rounds = std::max(1, parser.value(roundsOption).toInt());
    struct Row {
        QString rtt;
        QString priority;
        int round;
    };
    std::vector<Row> plan;
    for (int round = 0; round < rounds; ++round) {
        for (const QString &rtt : parser.value(rttsOption).split(u','))
            for (const QString &priority : parser.value(prioritiesOption).split(u','))
                plan.push_back({rtt, priority, round});
    }
    for (const Row &row : plan) {
        Scenario s;
        s.db.path = db;
        s.workload.keys = std::min<std::int64_t>(s.workload.keys, rows);
        s.duration.baseline = std::chrono::nanoseconds(0);
        s.duration.cached = seconds;
        s.db.rtt = *parseDuration(row.rtt);
        s.warmup.strategy = WarmupStrategy::TopN;
        s.warmup.keys = s.cache.l1.capacity;
        s.set(u"warmup.priority"_s, row.priority);
        // No snapshot there: top-n uses the hot set of the run's own cold phase.
        s.warmup.snapshot = dir.filePath(u"none-%1-%2-%3.hotset"_s.arg(row.rtt, row.priority).arg(row.round));
        const RunResult r = bench::runScenario(s);
        if (!r.error.isEmpty() || !r.coldStart || !r.coldStartCold || !r.warmup) {
            out << "run failed or measured nothing: " << r.error << '\n';
            return 1;
        }
        out << u"| %1 | %2 | %3 s | %4 s | %5 % | %6 s | %7 | %8 | %9 % / %10 % |\n"_s.arg(row.rtt, row.priority)
                   .arg(r.coldStartCold->seconds, 0, 'f', 1)
                   .arg(r.coldStart->seconds, 0, 'f', 1)
                   .arg(*r.kpi(u"cold_start_reduction"_s) * 100, 0, 'f', 0)
                   .arg(r.warmup->durationS, 0, 'f', 2)
                   .arg(r.warmup->keysLoaded)
                   .arg(r.warmup->statements)
                   .arg(r.coldStartCold->steadyHitRate * 100, 0, 'f', 1)
                   .arg(r.coldStart->steadyHitRate * 100, 0, 'f', 1);
        out.flush();
    }

    out << "\n## warm-up cost (query strategy ORDER BY id, 100 keys a statement, concurrency 4, live clients "
           "running)\n";
    out << "| keys | warm-up time | statements | keys loaded | keys/s |\n";
    for (const QString &sizeText : parser.value(sizesOption).split(u',')) {
        const std::int64_t n = std::min<std::int64_t>(sizeText.toLongLong(), rows);
        Scenario s;
        s.db.path = db;
        s.workload.keys = std::min<std::int64_t>(s.workload.keys, rows);
        s.duration.baseline = std::chrono::nanoseconds(0);
        s.duration.cached = std::max<std::chrono::nanoseconds>(seconds, std::chrono::seconds(2));
        s.cache.l1.capacity = std::max<std::int64_t>(n, 1);
        s.warmup.strategy = WarmupStrategy::Query;
        s.warmup.orderBy = u"id"_s;
        s.warmup.keys = n;
        s.warmup.compare = false;
        s.warmup.maxTime = std::chrono::nanoseconds(0);
        s.warmup.snapshot = dir.filePath(u"cost.hotset"_s);
        const RunResult r = bench::runScenario(s);
        if (!r.error.isEmpty() || !r.warmup) {
            out << "run failed: " << r.error << '\n';
            return 1;
        }
        out << u"| %1 | %2 s | %3 | %4 | %5 |%6\n"_s.arg(n)
                   .arg(r.warmup->durationS, 0, 'f', 3)
                   .arg(r.warmup->statements)
                   .arg(r.warmup->keysLoaded + r.warmup->keysAlreadyCached)
                   .arg(
                       double(r.warmup->keysLoaded + r.warmup->keysAlreadyCached) / std::max(r.warmup->durationS, 1e-9),
                       0, 'f', 0)
                   .arg(r.warmup->cancelled.isEmpty() ? QString() : u" cut short: "_s + r.warmup->cancelled);
        out.flush();
    }

    // What tracking costs a read: the engine's tracker (every 4th read counted; counters for 8 ×
    // the keys the cache holds, at most the workload's keys) against counting every read, on
    // Zipf 0.99 streams: the default scenario's 100,000 keys and the engine-overhead bench's 1,000.
    out << "\n## hot-key tracking cost per read (Zipf 0.99)\n";
    out << "| distinct keys | counters | counted | ns per read |\n";
    for (const auto &[n, counters] : {std::pair<std::size_t, std::size_t> {100000, 100000}, {1000, 1000}}) {
        std::vector<std::int64_t> keys(n);
        for (std::size_t i = 0; i < n; ++i)
            keys[i] = std::int64_t(i);
        auto space = std::make_shared<const KeySpace>(keys, RankDistribution::zipf(n, 0.99), 3);
        KeyStream stream(space, 3, 0);
        std::vector<std::int64_t> reads(1 << 20);
        for (std::int64_t &k : reads)
            k = stream.next();
        const std::int64_t records = parser.value(recordsOption).toLongLong();
        for (const unsigned every : {4u, 1u}) {
            HotKeyTracker tracker(counters, 8 * counters, every);
            const auto start = std::chrono::steady_clock::now();
            for (std::int64_t i = 0; i < records; ++i)
                tracker.record(reads[std::size_t(i) & (reads.size() - 1)]);
            const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count()
                / double(records);
            out << u"| %1 | %2 | %3 | %4 |\n"_s.arg(n)
                       .arg(counters)
                       .arg(every == 1 ? u"every read"_s : u"every 4th read"_s)
                       .arg(ns, 0, 'f', 1);
            if (tracker.observed() == 0)
                return 1; // keeps the loop from being optimised away
        }
    }
    return 0;
}
