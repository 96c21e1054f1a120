// A run's record of 100 ms snapshots stays bounded on a long run: coarsening joins pairs past
// the first seconds of each phase and keeps every total, every phase and segment boundary, and
// the mean rate's standard error (each snapshot weighing its length).
#include "core/metrics/timeseries.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace cachescope;

namespace {
// \a count snapshots of 100 ms of \a phase starting at run time \a runStart, with about
// \a rate requests per second (seeded noise), warm-up for the first \a warmupS seconds.
QList<MetricsSnapshot> phaseOf(Phase phase, int count, double runStart, double rate, double warmupS = 0.0)
{
    std::mt19937_64 random(42 + int(phase));
    std::normal_distribution<double> noise(0.0, 0.1 * rate * 0.1);
    QList<MetricsSnapshot> series;
    for (int i = 1; i <= count; ++i) {
        MetricsSnapshot s;
        s.phase = phase;
        s.interval = 0.1;
        s.phaseTime = 0.1 * i;
        s.runTime = runStart + 0.1 * i;
        s.warmup = s.phaseTime <= warmupS;
        s.requests = std::uint64_t(std::max(0.0, rate * 0.1 + noise(random)));
        s.reads = s.requests;
        s.hits = s.requests * 9 / 10;
        s.dbStatements = s.requests - s.hits;
        s.latencySumNanos = std::int64_t(s.requests) * 20'000;
        s.p50Nanos = 10'000 + i % 7;
        s.p99Nanos = 50'000 + i % 13;
        s.p999Nanos = 90'000 + i % 17;
        s.maxNanos = 100'000 + i % 19;
        series.append(s);
    }
    return series;
}

RequestCounts totalOf(const QList<MetricsSnapshot> &series, Phase phase)
{
    RequestCounts total;
    for (const MetricsSnapshot &s : series) {
        if (s.phase == phase)
            total += s;
    }
    return total;
}

double secondsOf(const QList<MetricsSnapshot> &series, Phase phase)
{
    double seconds = 0.0;
    for (const MetricsSnapshot &s : series)
        seconds += s.phase == phase ? s.interval : 0.0;
    return seconds;
}

// The standard error of the mean rate, relative to the mean, each snapshot weighing its length
// (as the comparison's interval does: a rate over w seconds varies as σ²/w).
double relativeStandardError(const QList<MetricsSnapshot> &series, Phase phase)
{
    double length = 0.0;
    double mean = 0.0;
    int n = 0;
    for (const MetricsSnapshot &s : series) {
        if (s.phase == phase && !s.warmup && s.phaseTime > kFullResolutionS) {
            length += s.interval;
            mean += s.interval * s.requestsPerSecond();
            ++n;
        }
    }
    mean /= length;
    double sigma2 = 0.0;
    for (const MetricsSnapshot &s : series) {
        if (s.phase == phase && !s.warmup && s.phaseTime > kFullResolutionS)
            sigma2 += s.interval * (s.requestsPerSecond() - mean) * (s.requestsPerSecond() - mean);
    }
    sigma2 /= double(n - 1);
    return std::sqrt(sigma2 / length) / mean;
}
} // namespace

class TestTimeSeries : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mergedSnapshotAddsUpAndBoundsItsPercentiles()
    {
        const QList<MetricsSnapshot> two = phaseOf(Phase::Cached, 2, 5.0, 10'000);
        const MetricsSnapshot m = mergeSnapshots(two[0], two[1]);
        QCOMPARE(m.requests, two[0].requests + two[1].requests);
        QCOMPARE(m.hits, two[0].hits + two[1].hits);
        QCOMPARE(m.dbStatements, two[0].dbStatements + two[1].dbStatements);
        QCOMPARE(m.latencySumNanos, two[0].latencySumNanos + two[1].latencySumNanos);
        QVERIFY(qFuzzyCompare(m.interval, 0.2));
        QCOMPARE(m.runTime, two[1].runTime);
        QCOMPARE(m.phaseTime, two[1].phaseTime);
        QCOMPARE(m.p99Nanos, std::max(two[0].p99Nanos, two[1].p99Nanos));
        QCOMPARE(m.maxNanos, std::max(two[0].maxNanos, two[1].maxNanos));
        QVERIFY(m.p50Nanos >= std::min(two[0].p50Nanos, two[1].p50Nanos));
        QVERIFY(m.p50Nanos <= std::max(two[0].p50Nanos, two[1].p50Nanos));
        QCOMPARE(m.requestsPerSecond(), double(m.requests) / m.interval);
    }

    void coarseningKeepsTotalsBoundariesAndThePhaseStart_data()
    {
        QTest::addColumn<int>("cachedSnapshots");
        QTest::addColumn<QList<double>>("cuts"); // run times at which a segment starts
        QTest::addColumn<double>("warmupS");
        QTest::newRow("one long phase") << 6000 << QList<double> {} << 0.0;
        QTest::newRow("a live change at 300 s") << 6000 << QList<double> {5.0 + 300.05} << 0.0;
        QTest::newRow("changes every 10 s") << 4000 << QList<double> {155.0, 165.0, 175.0, 185.0, 195.0} << 0.0;
        QTest::newRow("a warm-up longer than the kept start") << 4000 << QList<double> {} << 150.0;
        QTest::newRow("shorter than the kept start: unchanged") << 1000 << QList<double> {} << 0.0;
    }
    void coarseningKeepsTotalsBoundariesAndThePhaseStart()
    {
        QFETCH(int, cachedSnapshots);
        QFETCH(QList<double>, cuts);
        QFETCH(double, warmupS);
        QList<MetricsSnapshot> series = phaseOf(Phase::Baseline, 50, 0.0, 2'000);
        series += phaseOf(Phase::Cached, cachedSnapshots, 5.0, 10'000, warmupS);
        const QList<MetricsSnapshot> before = series;
        coarsenTimeSeries(series, cuts, kFullResolutionS);

        for (Phase phase : {Phase::Baseline, Phase::Cached}) {
            QCOMPARE(totalOf(series, phase), totalOf(before, phase));
            QVERIFY(std::abs(secondsOf(series, phase) - secondsOf(before, phase)) < 1e-6);
        }
        // The start of each phase (its cold-start ramp) stays at 100 ms; the rest is halved.
        const qsizetype kept = 50 + std::min<qsizetype>(cachedSnapshots, qsizetype(kFullResolutionS * 10));
        for (qsizetype i = 0; i < kept; ++i)
            QCOMPARE(series[i].runTime, before[i].runTime);
        const qsizetype rest = cachedSnapshots > kFullResolutionS * 10 ? cachedSnapshots - kFullResolutionS * 10 : 0;
        QVERIFY2(
            series.size() <= kept + rest / 2 + 1 + 2 * cuts.size() + 1, qPrintable(QString::number(series.size())));
        if (rest == 0)
            QCOMPARE(series.size(), before.size());
        for (qsizetype i = 1; i < series.size(); ++i) {
            const MetricsSnapshot &s = series[i];
            QVERIFY(s.runTime > series[i - 1].runTime); // in order
            // No joined snapshot spans a segment's start or the end of the warm-up.
            const double start = s.runTime - s.interval;
            for (double t : cuts)
                QVERIFY2(!(start + 1e-9 < t && t < s.runTime - 1e-9 && s.interval > 0.1 + 1e-9),
                    qPrintable(QStringLiteral("%1 … %2 spans %3").arg(start).arg(s.runTime).arg(t)));
            if (s.interval > 0.1 + 1e-9)
                QVERIFY(s.phaseTime - s.interval >= kFullResolutionS - 1e-9);
        }
        for (qsizetype i = 0; i < before.size(); ++i) {
            if (before[i].warmup != before[std::max<qsizetype>(i - 1, 0)].warmup) {
                // The warm-up's last snapshot and the first after it were not joined.
                bool boundaryKept = false;
                for (const MetricsSnapshot &s : series)
                    boundaryKept = boundaryKept || std::abs(s.runTime - before[i - 1].runTime) < 1e-9;
                QVERIFY(boundaryKept);
            }
        }
    }

    // Past its cap the record is halved again and again: six hours at 10 Hz stay within the cap,
    // with every request counted and the mean rate's standard error about what it was.
    void recordStaysBoundedOnALongRun()
    {
        QList<MetricsSnapshot> record;
        const QList<MetricsSnapshot> day = phaseOf(Phase::Cached, 6 * 36'000, 0.0, 10'000);
        const double errorAtFullResolution = relativeStandardError(day, Phase::Cached);
        qsizetype largest = 0;
        for (const MetricsSnapshot &s : day) {
            record.append(s);
            if (record.size() > kMaxSnapshots)
                coarsenTimeSeries(record, {}, kFullResolutionS);
            largest = std::max(largest, record.size());
        }
        QVERIFY2(largest <= kMaxSnapshots + 1, qPrintable(QString::number(largest)));
        QCOMPARE(totalOf(record, Phase::Cached), totalOf(day, Phase::Cached));
        const double errorCoarsened = relativeStandardError(record, Phase::Cached);
        QVERIFY2(errorCoarsened > 0.5 * errorAtFullResolution && errorCoarsened < 2.0 * errorAtFullResolution,
            qPrintable(QStringLiteral("%1 vs %2").arg(errorCoarsened).arg(errorAtFullResolution)));
    }
};

QTEST_GUILESS_MAIN(TestTimeSeries)
#include "tst_timeseries.moc"
