// The hit-rate bound: how close the cached phase comes to what its hit rate allows.
//
// With a hit costing c baseline reads and a miss costing one, the best throughput ratio at a
// share h of requests answered by the cache is B(h) = 1 / ((1 − h) + h·c). For each swept L1
// capacity (hit rates of about 0, 50, 80, 90, 95, 99 % on the default workload) this runs, in one
// process and alternating the order round by round:
//   - a 100 %-hit run: as many keys as the capacity holds (resident entries), all loaded before
//     the measured phase (a warm-up query), so every measured read hits: its ratio to its own
//     baseline is 1/c;
//   - the cached run at that capacity on the full key set: its ratio R and its hit share h.
// Each run has its own baseline, measured moments before its cached phase. Printed per capacity:
// h, R, c, B(h), R/B(h) and the miss cost m = (1/R − h·c)/(1 − h) in baseline reads; medians of
// the rounds. With --chart FILE.png the medians are drawn with the GUI's own chart (LiveChart).
//
//   build/release/bench/hit_rate_bound [--db FILE] [--seconds S] [--warmup S] [--rounds N]
//                                      [--capacities 1,1200,...] [--keys K] [--chart FILE.png]
#include "bench/benchcommon.h"
#include "core/db/demodatabase.h"
#include "core/scenario/settings.h"
#include "ui/livechart.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QFileInfo>
#include <QPixmap>
#include <QTemporaryDir>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <map>

using namespace cachescope;
using namespace Qt::StringLiterals;
using cachescope::bench::median;

namespace {

void set(Scenario &s, const QString &key, const QString &value)
{
    const SettingDef *def = findSetting(key);
    Q_ASSERT(def);
    def->put(s, def->parse(value));
}

struct Run {
    double ratio = 0.0; // cached ÷ baseline requests per second, same run
    double hitShare = 0.0; // hits ÷ requests of the cached phase
};

Run runOnce(const Scenario &s, const char *what)
{
    const RunResult r = cachescope::bench::runScenario(s);
    if (!r.error.isEmpty() || !r.cached || !r.baseline || r.baseline->requestsPerSecond() <= 0) {
        std::fprintf(stderr, "hit_rate_bound: the %s run failed: %s\n", what, qPrintable(r.error));
        std::exit(3);
    }
    return {r.cached->requestsPerSecond() / r.baseline->requestsPerSecond(),
        r.cached->requests ? double(r.cached->hits) / double(r.cached->requests) : 0.0};
}

struct Point {
    std::vector<double> ratio, share, hitCost, bound, efficiency, missCost;
};

// Renders the medians with the GUI's chart: R ÷ B(h) over h, in percent (the chart's axes label
// whole numbers), against the target 85 %.
bool drawChart(const QString &path, const std::map<long long, Point> &points)
{
    LiveChart chart(u"Measured throughput ratio ÷ hit-rate bound B(h)"_s, u"requests answered by the cache (%)"_s,
        u"R ÷ B(h) (%)"_s);
    const int efficiency = chart.addSeries(u"R ÷ B(h), median of the rounds"_s, QColor(0x1a, 0x73, 0xe8));
    const int target = chart.addSeries(u"target 85 %"_s, QColor(0xd9, 0x30, 0x25), Qt::DashLine);
    std::vector<std::pair<double, double>> sorted;
    for (const auto &[capacity, p] : points)
        sorted.push_back({median(p.share) * 100.0, median(p.efficiency) * 100.0});
    std::sort(sorted.begin(), sorted.end());
    chart.append(target, {0.0, 85.0});
    chart.append(target, {100.0, 85.0});
    for (const auto &[h, e] : sorted)
        chart.append(efficiency, {h, e});
    chart.setFixedYRange(0.0, 120.0);
    chart.setXSpan(100.0);
    chart.resize(900, 560);
    chart.show();
    QEventLoop loop;
    QTimer::singleShot(300, &loop, &QEventLoop::quit); // the chart redraws from its timer
    loop.exec();
    return chart.grab().save(path);
}

} // namespace

int main(int argc, char **argv)
{
    // The chart is drawn off screen: no display is needed.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Throughput ratio against the hit-rate bound B(h), swept over L1 capacities"_s);
    parser.addHelpOption();
    const QCommandLineOption dbOption(u"db"_s, u"SQLite database (default: a fresh demo database)."_s, u"file"_s);
    const QCommandLineOption secondsOption(u"seconds"_s, u"Measured length of each phase."_s, u"s"_s, u"2"_s);
    const QCommandLineOption warmupOption(u"warmup"_s, u"Unmeasured start of each phase."_s, u"s"_s, u"1"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Rounds (the order alternates)."_s, u"n"_s, u"3"_s);
    const QCommandLineOption capacitiesOption(
        u"capacities"_s, u"L1 capacities swept."_s, u"list"_s, u"1,1200,20000,45000,70000,100000"_s);
    const QCommandLineOption keysOption(u"keys"_s, u"Distinct keys of the workload."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption chartOption(u"chart"_s, u"Draw the medians into this PNG."_s, u"file"_s);
    parser.addOptions({dbOption, secondsOption, warmupOption, roundsOption, capacitiesOption, keysOption, chartOption});
    parser.process(app);

    QTemporaryDir dir;
    const long long keys = parser.value(keysOption).toLongLong();
    QString db = parser.value(dbOption);
    if (db.isEmpty()) {
        db = dir.filePath(u"demo.db"_s);
        DemoDatabase::create(db, std::max<long long>(keys, 1000));
    }
    std::vector<long long> capacities;
    for (const QString &c : parser.value(capacitiesOption).split(u',', Qt::SkipEmptyParts))
        capacities.push_back(std::min(c.toLongLong(), keys));

    Scenario base;
    base.db.path = db;
    base.workload.keys = keys;
    set(base, u"duration.baseline"_s, parser.value(secondsOption) + u's');
    set(base, u"duration.cached"_s, parser.value(secondsOption) + u's');
    set(base, u"duration.warmup"_s, parser.value(warmupOption) + u's');
    set(base, u"cache.l1.ttl"_s, u"0s"_s); // the capacity alone sets the hit rate
    set(base, u"warmup.compare"_s, u"false"_s);
    base.criteria.clear();
    base.warmup.snapshot = dir.filePath(u"hotset.snapshot"_s); // the user's own snapshots stay as they were

    const int rounds = parser.value(roundsOption).toInt();
    std::map<long long, Point> points;
    std::printf("round  capacity  hit share  ratio R  hit cost c  B(h)    R/B(h)  miss cost\n");
    for (int round = 0; round < rounds; ++round) {
        std::vector<long long> order = capacities;
        if (round % 2)
            std::reverse(order.begin(), order.end());
        for (const long long capacity : order) {
            // The 100 %-hit run: `capacity` keys, every one loaded by the warm-up (in key order,
            // as the workload's keys are the first N of the table) before the phase is measured.
            Scenario allHits = base;
            allHits.workload.keys = capacity;
            // Room beyond the keys: the capacity is split evenly over the tier's shards, and keys
            // are not (at exactly `capacity`, ~1 % of the reads missed on a full shard).
            set(allHits, u"cache.l1.capacity"_s, QString::number(capacity + capacity / 2 + 64));
            set(allHits, u"warmup.strategy"_s, u"query"_s);
            set(allHits, u"warmup.order_by"_s, allHits.db.key);
            set(allHits, u"warmup.keys"_s, QString::number(capacity));
            set(allHits, u"warmup.max_time"_s, u"0s"_s);
            set(allHits, u"warmup.priority"_s, u"foreground"_s);
            Scenario swept = base;
            set(swept, u"cache.l1.capacity"_s, QString::number(capacity));
            Run hits, run;
            if ((round + int(capacity % 2)) % 2 == 0) {
                hits = runOnce(allHits, "100 %-hit");
                run = runOnce(swept, "cached");
            } else {
                run = runOnce(swept, "cached");
                hits = runOnce(allHits, "100 %-hit");
            }
            if (hits.hitShare < 0.999)
                std::fprintf(stderr,
                    "hit_rate_bound: the 100 %%-hit run at %lld entries answered only %.2f %% from "
                    "the cache (a longer --warmup loads every key first)\n",
                    capacity, hits.hitShare * 100.0);
            const double c = 1.0 / hits.ratio;
            const double h = run.hitShare;
            const double bound = 1.0 / ((1.0 - h) + h * c);
            const double miss = h < 0.999 ? (1.0 / run.ratio - h * c) / (1.0 - h) : std::nan("");
            Point &p = points[capacity];
            p.ratio.push_back(run.ratio);
            p.share.push_back(h);
            p.hitCost.push_back(c);
            p.bound.push_back(bound);
            p.efficiency.push_back(run.ratio / bound);
            if (!std::isnan(miss))
                p.missCost.push_back(miss);
            std::printf("%5d  %8lld  %8.1f %%  %7.3f  %10.4f  %6.2f  %6.3f  %9.3f\n", round + 1, capacity, h * 100.0,
                run.ratio, c, bound, run.ratio / bound, miss);
            std::fflush(stdout);
        }
    }
    std::printf("\nmedians of %d rounds (%s s phases, %s s unmeasured warm-up each):\n", rounds,
        qPrintable(parser.value(secondsOption)), qPrintable(parser.value(warmupOption)));
    std::printf(
        "| L1 capacity | hit share h | ratio R | hit cost c | B(h) | R ÷ B(h) | miss cost (baseline reads) |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    for (const long long capacity : capacities) {
        const Point &p = points[capacity];
        std::printf("| %lld | %.1f %% | %.3f | %.4f | %.2f | %.3f | %s |\n", capacity, median(p.share) * 100.0,
            median(p.ratio), median(p.hitCost), median(p.bound), median(p.efficiency),
            p.missCost.empty() ? "—" : qPrintable(QString::number(median(p.missCost), 'f', 3)));
    }
    if (parser.isSet(chartOption)) {
        if (!drawChart(parser.value(chartOption), points)) {
            std::fprintf(
                stderr, "hit_rate_bound: cannot write the chart '%s'\n", qPrintable(parser.value(chartOption)));
            return 3;
        }
        std::printf("chart: %s\n", qPrintable(QFileInfo(parser.value(chartOption)).absoluteFilePath()));
    }
    return 0;
}
