// What coalescing misses buys against a remote database: 64 clients reading keys that are never
// cached (L1 capacity 0), a 1 ms simulated round-trip and one connection per worker thread (a
// statement holds its connection for its round-trip, as a synchronous driver does). Three runs of
// the real PhaseRunner, rotated each round: the batch loader, one query per load, and one
// client (sequential). Prints requests/s, statements, and the ratios measured in the same round.
//
//   build/release/bench/batch_loads [--seconds S] [--rounds N] [--rtt DURATION] [--clients N]
#include "bench/benchcommon.h"
#include "core/db/demodatabase.h"
#include "core/experiment/phaserunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace cachescope;
using namespace Qt::StringLiterals;
using cachescope::bench::median;

namespace {
PhaseResult run(const Scenario &scenario)
{
    const RunResult result = cachescope::bench::runScenario(scenario);
    if (!result.error.isEmpty() || !result.cached) {
        std::fprintf(stderr, "batch_loads: %s\n", qPrintable(result.error));
        std::exit(3);
    }
    return *result.cached;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Batch loader against one query per load and sequential loads"_s);
    parser.addHelpOption();
    const QCommandLineOption secondsOption(u"seconds"_s, u"Length of each run."_s, u"s"_s, u"3"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Rounds."_s, u"n"_s, u"3"_s);
    const QCommandLineOption rttOption(u"rtt"_s, u"Simulated round-trip."_s, u"duration"_s, u"1ms"_s);
    const QCommandLineOption clientsOption(u"clients"_s, u"Concurrent clients."_s, u"n"_s, u"64"_s);
    parser.addOptions({secondsOption, roundsOption, rttOption, clientsOption});
    parser.process(app);

    QTemporaryDir dir;
    const QString db = dir.filePath(u"demo.db"_s);
    DemoDatabase::create(db, 100000, 1);
    Scenario base;
    base.db.path = db;
    base.workload.keys = 100000;
    base.workload.distribution = Distribution::Uniform;
    base.cache.l1.capacity = 0;
    base.db.rtt = *parseDuration(parser.value(rttOption));
    base.db.connections = 1;
    base.duration.baseline = std::chrono::nanoseconds(0);
    base.duration.cached = std::chrono::milliseconds(std::llround(parser.value(secondsOption).toDouble() * 1000));
    const int clients = parser.value(clientsOption).toInt();

    struct Variant {
        const char *name;
        int clients;
        bool batch;
    };
    const Variant variants[3]
        = {{"batch loader", clients, true}, {"query per load", clients, false}, {"sequential", 1, false}};
    std::vector<double> rate[3];
    std::vector<double> vsPerLoad, vsSequential;
    std::printf("round  %14s  %14s  %14s  batch/per-load  batch/sequential  keys per statement\n", variants[0].name,
        variants[1].name, variants[2].name);
    const int rounds = parser.value(roundsOption).toInt();
    for (int r = 0; r < rounds; ++r) {
        double rps[3] = {0, 0, 0};
        double keysPerStatement = 0;
        for (int k = 0; k < 3; ++k) {
            const int v = (k + r) % 3; // rotate the order
            Scenario s = base;
            s.workload.concurrency = variants[v].clients;
            s.cache.batchLoads = variants[v].batch;
            const PhaseResult p = run(s);
            rps[v] = p.requestsPerSecond();
            if (variants[v].batch && p.dbStatements > 0)
                keysPerStatement = double(p.misses) / double(p.dbStatements);
        }
        for (int v = 0; v < 3; ++v)
            rate[v].push_back(rps[v]);
        vsPerLoad.push_back(rps[0] / rps[1]);
        vsSequential.push_back(rps[0] / rps[2]);
        std::printf("%5d  %14.0f  %14.0f  %14.0f  %14.2f  %16.2f  %18.1f\n", r + 1, rps[0], rps[1], rps[2],
            rps[0] / rps[1], rps[0] / rps[2], keysPerStatement);
    }
    std::printf("median: batch %.0f req/s, per load %.0f, sequential %.0f; batch/per-load x%.2f, batch/sequential "
                "x%.2f (%d clients, rtt %s, 1 connection per worker)\n",
        median(rate[0]), median(rate[1]), median(rate[2]), median(vsPerLoad), median(vsSequential), clients,
        qPrintable(parser.value(rttOption)));
    return 0;
}
