// The engine's own cost at 100 % cache hits: requests per second of the real PhaseRunner
// (coroutine clients on worker threads, the cache, counters) with request timing on and off,
// alternating in one process; plus the latency histogram's record and snapshot costs.
//
//   build/release/bench/engine_overhead [--seconds S] [--rounds N] [--concurrency C] [--records N]
#include "bench/benchcommon.h"
#include "core/db/demodatabase.h"
#include "core/experiment/phaserunner.h"
#include "core/metrics/latencyhistogram.h"
#include "core/metrics/tickclock.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using namespace cachescope;
using namespace Qt::StringLiterals;
using cachescope::bench::median;

namespace {
void histogramCosts(int records)
{
    LatencyRecorder recorder;
    std::mt19937_64 rng(1);
    std::lognormal_distribution<double> latency(7.0, 1.5); // ~1 µs median, long tail
    std::vector<std::int64_t> values(4096);
    for (auto &v : values)
        v = std::int64_t(latency(rng));
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < records; ++i)
        recorder.record(values[std::size_t(i) & 4095]);
    const double recordNs
        = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / records;
    const int snapshots = 200;
    const auto s0 = std::chrono::steady_clock::now();
    std::uint64_t sink = 0;
    for (int i = 0; i < snapshots; ++i)
        sink += recorder.snapshot().count();
    const double snapshotUs
        = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - s0).count() / snapshots;
    std::uint64_t ticks = 0;
    const auto c0 = std::chrono::steady_clock::now();
    for (int i = 0; i < records; ++i)
        ticks += TickClock::now();
    const double tickNs
        = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - c0).count() / records;
    std::printf("histogram: record %.1f ns, snapshot (copy of every bucket) %.1f us; request clock (%s) %.1f ns a "
                "read (%llu)\n",
        recordNs, snapshotUs, TickClock::usesTsc() ? "tsc" : "steady_clock", tickNs,
        static_cast<unsigned long long>((sink + ticks) % 10));
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Engine overhead at 100 % hits, timing on and off"_s);
    parser.addHelpOption();
    const QCommandLineOption secondsOption(u"seconds"_s, u"Length of each run."_s, u"s"_s, u"2"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Pairs of runs (on, off alternating)."_s, u"n"_s, u"5"_s);
    const QCommandLineOption concurrencyOption(u"concurrency"_s, u"Clients."_s, u"n"_s, u"16"_s);
    const QCommandLineOption recordsOption(u"records"_s, u"Histogram records timed."_s, u"n"_s, u"20000000"_s);
    parser.addOptions({secondsOption, roundsOption, concurrencyOption, recordsOption});
    parser.process(app);

    QTemporaryDir dir;
    const QString db = dir.filePath(u"demo.db"_s);
    DemoDatabase::create(db, 2000, 1);
    Scenario s;
    s.db.path = db;
    s.workload.keys = 1000;
    s.cache.l1.capacity = 1000; // every key fits: after the first touch of each, every read hits
    s.cache.l1.ttl = std::chrono::nanoseconds(0);
    s.workload.concurrency = parser.value(concurrencyOption).toInt();
    s.duration.baseline = std::chrono::nanoseconds(0);
    s.duration.cached = std::chrono::milliseconds(std::llround(parser.value(secondsOption).toDouble() * 1000));
    const int rounds = parser.value(roundsOption).toInt();
    std::vector<double> on, off, ratios;
    std::printf("round  timing on req/s  timing off req/s  on/off  hit rate\n");
    for (int r = 0; r < rounds; ++r) {
        double rate[2] = {0, 0};
        double hit = 0;
        for (int k = 0; k < 2; ++k) {
            const bool timing = (r % 2 == 0) == (k == 0); // alternate which goes first
            Scenario x = s;
            x.engine.recordLatency = timing;
            const RunResult result = cachescope::bench::runScenario(x);
            if (!result.error.isEmpty() || !result.cached) {
                std::fprintf(stderr, "engine_overhead: %s\n", qPrintable(result.error));
                return 3;
            }
            rate[timing ? 0 : 1] = result.cached->requestsPerSecond();
            hit = result.cached->hitRate();
        }
        on.push_back(rate[0]);
        off.push_back(rate[1]);
        ratios.push_back(rate[0] / rate[1]);
        std::printf("%5d  %15.0f  %16.0f  %6.3f  %7.4f\n", r + 1, rate[0], rate[1], rate[0] / rate[1], hit);
    }
    std::printf("median: timing on %.0f req/s, off %.0f req/s, on/off %.3f (timing costs %.1f %%), %d clients\n",
        median(on), median(off), median(ratios), (1.0 - median(ratios)) * 100.0, s.workload.concurrency);
    histogramCosts(parser.value(recordsOption).toInt());
    return 0;
}
