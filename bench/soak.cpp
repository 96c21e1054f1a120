// Soak: one long run as the GUI drives it (BackgroundRun: the runner on its own thread, the
// snapshots appended to a LiveChart on this thread), a live change every few seconds, and the
// process's resident memory, open descriptors and error count sampled as it goes.
//
//   soak [--seconds 3600] [--change-every 5] [--sample-every 10] [--warmup 60] [--db FILE]
//        [--set KEY=VALUE]... [--max-rss-drift 5] [--fail-on-errors]
//
// Prints one line per sample, then the summary: RSS after the warm-up against the end (drift in
// %), descriptors at the first sample after the warm-up and at the end, errors. Exits 1 when the
// drift exceeds --max-rss-drift, when descriptors grew, or (with --fail-on-errors) when a request
// failed; that makes the short CTest case a check, the long one the figures in docs/benchmarks.md.
#include "core/db/demodatabase.h"
#include "core/scenario/scenario.h"
#include "ui/backgroundrun.h"
#include "ui/livechart.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>

#include <limits>
#include <QTimer>

#include <limits>

#include <malloc.h>
#include <unistd.h>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
qint64 residentBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * ::sysconf(_SC_PAGESIZE) : -1;
}

QStringList descriptorTargets()
{
    QStringList targets;
    const QDir dir(u"/proc/self/fd"_s);
    for (const QString &fd : dir.entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System))
        targets << fd + u" -> "_s + QFile::symLinkTarget(dir.filePath(fd));
    return targets;
}

int openDescriptors()
{
    return int(descriptorTargets().size());
}

// The live changes a tuning session makes, cycled: sizes, TTL, policy, concurrency, round-trip.
const QList<QStringList> kChanges {
    {u"cache.l1.capacity=60000"_s},
    {u"cache.l1.ttl=5s"_s},
    {u"cache.l1.policy=s3fifo"_s},
    {u"workload.concurrency=8"_s},
    {u"cache.l1.capacity=20000"_s, u"cache.l1.policy=wtinylfu"_s},
    {u"cache.l1.ttl=1m"_s, u"db.rtt=100us"_s},
    {u"cache.l1.policy=sieve"_s, u"workload.concurrency=16"_s},
    {u"db.rtt=0us"_s, u"cache.l1.policy=lru"_s},
};

// Bytes the program holds from malloc (in use, not what the allocator keeps for reuse).
qint64 heapInUse()
{
    const struct mallinfo2 m = ::mallinfo2();
    return qint64(m.uordblks + m.hblkhd);
}

struct Sample {
    double t = 0; // seconds since start
    qint64 rss = 0;
    int fds = 0;
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    qint64 heap = 0; // in use from malloc
};
} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"cachescope"_s);
    QCoreApplication::setOrganizationName(u"cachescope"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption seconds(u"seconds"_s, u"Cached phase length."_s, u"S"_s, u"3600"_s);
    const QCommandLineOption changeEvery(u"change-every"_s, u"Seconds between live changes."_s, u"S"_s, u"5"_s);
    const QCommandLineOption sampleEvery(u"sample-every"_s, u"Seconds between samples."_s, u"S"_s, u"10"_s);
    const QCommandLineOption warmup(
        u"warmup"_s, u"Seconds before the reference sample (caches fill, pools grow)."_s, u"S"_s, u"60"_s);
    const QCommandLineOption db(u"db"_s, u"Database (default: the demo database)."_s, u"FILE"_s);
    const QCommandLineOption set(u"set"_s, u"A scenario setting (repeatable)."_s, u"KEY=VALUE"_s);
    const QCommandLineOption maxDrift(
        u"max-rss-drift"_s, u"Largest RSS change after the warm-up, in %."_s, u"P"_s, u"5"_s);
    const QCommandLineOption maxHeapDrift(u"max-heap-drift"_s,
        u"Largest rise of the heap's low point (last quarter of the samples) over the warm-up's, beyond what "
        "the result keeps, in %."_s,
        u"P"_s, u"5"_s);
    const QCommandLineOption failOnErrors(u"fail-on-errors"_s, u"Exit 1 when any request failed."_s);
    const QCommandLineOption change(u"change"_s,
        u"A live change, assignments separated by ';' (repeatable; cycled; default: sizes, TTL, policy, "
        "concurrency, round-trip)."_s,
        u"KEY=VALUE[;...]"_s);
    parser.addOptions(
        {seconds, changeEvery, sampleEvery, warmup, db, set, maxDrift, maxHeapDrift, failOnErrors, change});
    parser.process(app);

    QTextStream out(stdout);
    Scenario scenario;
    try {
        scenario.db.path = parser.isSet(db) ? parser.value(db) : DemoDatabase::ensureDefault();
        scenario.duration.baseline = std::chrono::seconds(2);
        scenario.duration.cached = std::chrono::milliseconds(qint64(parser.value(seconds).toDouble() * 1000));
        for (const QString &assignment : parser.values(set))
            scenario.applyAssignment(assignment);
    } catch (const std::exception &error) {
        QTextStream(stderr) << "soak: " << error.what() << '\n';
        return 2;
    }

    BackgroundRun controller;
    LiveChart chart(u"hit rate"_s, u"s"_s, u"%"_s);
    const int hitSeries = chart.addSeries(u"hit rate"_s, Qt::darkGreen);
    const int rateSeries = chart.addSeries(u"req/s"_s, Qt::darkBlue);
    chart.resize(800, 400);
    chart.show();

    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    int changesApplied = 0;
    int changesRejected = 0;
    QObject::connect(&controller, &BackgroundRun::snapshotReady, &chart, [&](const MetricsSnapshot &s) {
        requests += s.requests;
        errors += s.errors;
        chart.append(hitSeries, {s.runTime, s.hitRate() * 100.0});
        chart.append(rateSeries, {s.runTime, s.requestsPerSecond()});
    });
    QObject::connect(&controller, &BackgroundRun::changeApplied, &chart, [&](double t, const QString &applied) {
        ++changesApplied;
        chart.addMarker(t, applied);
    });
    QObject::connect(&controller, &BackgroundRun::changeRejected, &chart, [&](const QString &reason) {
        ++changesRejected;
        QTextStream(stderr) << "soak: change rejected: " << reason << '\n';
    });

    QElapsedTimer clock;
    std::vector<Sample> samples;
    const auto sample = [&] {
        samples.push_back(
            {double(clock.elapsed()) / 1000.0, residentBytes(), openDescriptors(), requests, errors, heapInUse()});
        const Sample &s = samples.back();
        out << QString::number(s.t, 'f', 0).rightJustified(7) << " s  rss "
            << QString::number(double(s.rss) / 1048576.0, 'f', 1).rightJustified(7) << " MiB  heap "
            << QString::number(double(s.heap) / 1048576.0, 'f', 1).rightJustified(7) << " MiB  fds "
            << QString::number(s.fds).rightJustified(4) << "  requests "
            << QString::number(s.requests).rightJustified(11) << "  errors " << s.errors << Qt::endl;
    };
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &app, sample);
    QList<QStringList> changes = kChanges;
    if (parser.isSet(change)) {
        changes.clear();
        for (const QString &c : parser.values(change))
            changes << c.split(u';', Qt::SkipEmptyParts);
    }
    int next = 0;
    QTimer changer;
    QStringList afterFirstRun; // descriptors once the long run ended
    QObject::connect(&changer, &QTimer::timeout, &app,
        [&] { controller.applyChange(ConfigChange::parse(changes[next++ % changes.size()], true)); });
    QObject::connect(&controller, &BackgroundRun::phaseStarted, &app, [&](Phase phase, double) {
        if (phase == Phase::Cached && !changer.isActive() && afterFirstRun.isEmpty())
            changer.start(int(parser.value(changeEvery).toDouble() * 1000));
    });
    // After the long run, a short second one, as a user presses Run again: what the first run's
    // end left open (Qt's pooled threads, say) must not grow with each run.
    QString runError;
    std::size_t resultBytes = 0;
    qsizetype segments = 0;
    qsizetype snapshots = 0;
    QObject::connect(&controller, &BackgroundRun::runFinished, &app, [&](const RunResult &result) {
        runError = result.error;
        if (afterFirstRun.isEmpty()) {
            // What the result itself keeps: memory that grows with the run by design.
            for (const SegmentResult &segment : result.segments)
                resultBytes += segment.stats.latency.countBytes() + segment.stats.serviceLatency.countBytes()
                    + sizeof(SegmentResult);
            resultBytes += std::size_t(result.timeSeries.size()) * sizeof(MetricsSnapshot);
            segments = result.segments.size();
            snapshots = result.timeSeries.size();
        }
        changer.stop();
        sampler.stop();
        if (!runError.isEmpty() || !afterFirstRun.isEmpty()) {
            app.quit();
            return;
        }
        afterFirstRun = descriptorTargets();
        Scenario again = scenario;
        again.duration.baseline = std::chrono::milliseconds(500);
        again.duration.cached = std::chrono::seconds(2);
        QTimer::singleShot(0, &controller, [&controller, again] { controller.start(again); });
    });
    // Started from the event loop, so that what it opens for itself counts as before the run.
    QTimer::singleShot(0, &app, [&] {
        clock.start();
        sample();
        sampler.start(int(parser.value(sampleEvery).toDouble() * 1000));
        controller.start(scenario);
    });
    QApplication::exec();

    if (!runError.isEmpty()) {
        QTextStream(stderr) << "soak: the run failed: " << runError << '\n';
        return 3;
    }
    const double warm = parser.value(warmup).toDouble();
    const auto reference = std::find_if(samples.begin(), samples.end(), [&](const Sample &s) { return s.t >= warm; });
    if (reference == samples.end() || reference == samples.end() - 1) {
        QTextStream(stderr) << "soak: the run ended before the warm-up did; nothing to compare\n";
        return 2;
    }
    // The last sample while the run went on; then one after it ended (its workers gone).
    const Sample &last = samples.back();
    const Sample after {
        double(clock.elapsed()) / 1000.0, residentBytes(), openDescriptors(), requests, errors, heapInUse()};
    qint64 lowest = reference->rss;
    qint64 highest = reference->rss;
    int mostFds = reference->fds;
    for (auto it = reference; it != samples.end(); ++it) {
        lowest = std::min(lowest, it->rss);
        highest = std::max(highest, it->rss);
        mostFds = std::max(mostFds, it->fds);
    }
    const double drift = 100.0 * double(last.rss - reference->rss) / double(reference->rss);
    // A leak raises the heap's low points; a transient (a reconfigured cache, a sampler's copy)
    // does not. The result's own growth (segments, snapshots) is no leak.
    qint64 heapLow = std::numeric_limits<qint64>::max();
    for (auto it = reference; it != samples.end(); ++it) {
        if (it->t >= last.t - (last.t - reference->t) / 4)
            heapLow = std::min(heapLow, it->heap);
    }
    const double heapDrift = 100.0 * double(heapLow - reference->heap - qint64(resultBytes)) / double(reference->heap);
    const double spread = 100.0 * double(highest - lowest) / double(reference->rss);
    out << "\nsummary: " << QString::number(last.t, 'f', 0) << " s, " << requests << " requests, " << changesApplied
        << " live changes (" << changesRejected << " rejected), " << errors << " errors\n"
        << "  rss at " << QString::number(reference->t, 'f', 0)
        << " s: " << QString::number(double(reference->rss) / 1048576.0, 'f', 1) << " MiB; at the end "
        << QString::number(double(last.rss) / 1048576.0, 'f', 1) << " MiB; drift " << QString::number(drift, 'f', 1)
        << " %, spread " << QString::number(spread, 'f', 1) << " %\n"
        << "  heap in use at " << QString::number(reference->t, 'f', 0)
        << " s: " << QString::number(double(reference->heap) / 1048576.0, 'f', 1) << " MiB; at the end "
        << QString::number(double(last.heap) / 1048576.0, 'f', 1) << " MiB ("
        << QString::number(100.0 * double(last.heap - reference->heap) / double(reference->heap), 'f', 1)
        << " %); of it the result " << QString::number(double(resultBytes) / 1048576.0, 'f', 1)
        << " MiB; low point of the last quarter beyond the result " << QString::number(heapDrift, 'f', 1) << " %\n"
        << "  descriptors at " << QString::number(reference->t, 'f', 0) << " s: " << reference->fds
        << "; most after: " << mostFds << "; at the end: " << last.fds << '\n'
        << "  errors at " << QString::number(reference->t, 'f', 0) << " s: " << reference->errors
        << "; at the end: " << last.errors << '\n'
        << "  the result keeps " << segments << " segments and " << snapshots
        << " snapshots: " << QString::number(double(resultBytes) / 1048576.0, 'f', 1) << " MiB\n"
        << "  descriptors before the run " << samples.front().fds << ", after it " << afterFirstRun.size()
        << ", after a second run " << after.fds << "; rss then "
        << QString::number(double(after.rss) / 1048576.0, 'f', 1) << " MiB" << Qt::endl;
    bool failed = false;
    if (std::abs(drift) > parser.value(maxDrift).toDouble()) {
        out << "FAIL: resident memory drifted " << QString::number(drift, 'f', 1) << " % after the warm-up\n";
        failed = true;
    }
    if (heapDrift > parser.value(maxHeapDrift).toDouble()) {
        out << "FAIL: the heap's low point rose " << QString::number(heapDrift, 'f', 1)
            << " % beyond what the result keeps\n";
        failed = true;
    }
    if (mostFds > reference->fds) {
        out << "FAIL: open descriptors grew from " << reference->fds << " to " << mostFds << '\n';
        failed = true;
    }
    if (parser.isSet(failOnErrors) && errors > 0) {
        out << "FAIL: " << errors << " requests failed\n";
        failed = true;
    }
    if (after.fds > int(afterFirstRun.size())) {
        QStringList left = descriptorTargets();
        for (const QString &d : afterFirstRun)
            left.removeAll(d);
        out << "FAIL: a second run left " << after.fds - afterFirstRun.size()
            << " more descriptors open: " << left.join(u", "_s) << '\n';
        failed = true;
    }
    if (changesApplied == 0) {
        out << "FAIL: no live change was applied\n";
        failed = true;
    }
    out.flush();
    return failed ? 1 : 0;
}
