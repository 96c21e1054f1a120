// Request counters, the sampler and the KPI table: every counter adds, subtracts, loads from the
// live counters and reads back from JSON under its own name; the sampler reports what happened
// since the last reading; each KPI is computed as DESIGN.md defines it, and is absent without
// its inputs.
#include "core/metrics/counter.h"
#include "core/metrics/kpi.h"
#include "core/metrics/requestcounts.h"
#include "core/metrics/sampler.h"

#include <QSet>
#include <QTest>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
constexpr auto kFields = RequestCounts::fields();

RequestCounts withField(std::size_t index, std::uint64_t value)
{
    RequestCounts c;
    c.*(kFields[index].member) = value;
    return c;
}

KpiPhase phase(std::uint64_t requests, std::uint64_t reads, std::uint64_t hits, std::uint64_t statements,
    double seconds, std::int64_t p50, std::int64_t p99)
{
    KpiPhase p;
    p.counts.requests = requests;
    p.counts.reads = reads;
    p.counts.hits = hits;
    p.counts.dbStatements = statements;
    p.seconds = seconds;
    p.p50Nanos = p50;
    p.p99Nanos = p99;
    return p;
}
} // namespace

class TestRequestCounts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyCounterAddsAndSubtractsAlone_data()
    {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < kFields.size(); ++i)
            QTest::addRow("%s", qPrintable(QString::fromUtf16(kFields[i].name))) << int(i);
    }
    void everyCounterAddsAndSubtractsAlone()
    {
        QFETCH(int, index);
        const auto i = std::size_t(index);
        RequestCounts sum = withField(i, 5);
        sum += withField(i, 3);
        QCOMPARE(sum, withField(i, 8));
        QCOMPARE(withField(i, 5) - withField(i, 3), withField(i, 2));
        // No other counter moved.
        QCOMPARE(sum - withField(i, 8), RequestCounts {});
    }

    void everyCounterLoadsFromItsLiveCounter()
    {
        BasicRequestCounts<SingleWriterCounter> live;
        constexpr auto liveFields = BasicRequestCounts<SingleWriterCounter>::fields();
        for (std::size_t i = 0; i < liveFields.size(); ++i)
            (live.*(liveFields[i].member)).add(i + 1);
        const RequestCounts loaded = RequestCounts::load(live);
        for (std::size_t i = 0; i < kFields.size(); ++i) {
            QCOMPARE(QString::fromUtf16(liveFields[i].name), QString::fromUtf16(kFields[i].name));
            QCOMPARE(loaded.*(kFields[i].member), std::uint64_t(i + 1));
        }
    }

    void jsonNamesAreDistinctAndReadBack()
    {
        RequestCounts c;
        for (std::size_t i = 0; i < kFields.size(); ++i)
            c.*(kFields[i].member) = 1000 + i;
        QJsonObject json;
        c.writeJson(json);
        QCOMPARE(json.size(), qsizetype(kFields.size())); // no two counters share a name
        QCOMPARE(RequestCounts::fromJson(json), c);
    }

    void samplerReportsWhatHappenedSinceTheLastReading()
    {
        Sampler sampler;
        RequestTotals t;
        t.counts.requests = 100;
        t.counts.reads = 100;
        t.counts.hits = 10;
        sampler.restart(t, 1'000'000'000);
        t.counts.requests = 250;
        t.counts.reads = 250;
        t.counts.hits = 130;
        // 2,000 timed requests: 1,996 of 2 µs, three of 50 µs (ranks 1,997–1,999: the p99.9 is
        // past rank 1,998), one of 400 µs.
        for (int i = 0; i < 1996; ++i)
            t.latency.record(2000);
        for (int i = 0; i < 3; ++i)
            t.latency.record(50'000);
        t.latency.record(400'000);
        const MetricsSnapshot first = sampler.next(t, 1'100'000'000);
        QCOMPARE(first.requests, 150u);
        QCOMPARE(first.hits, 120u);
        QCOMPARE(first.hitRate(), 120.0 / 150.0);
        QCOMPARE(first.interval, 0.1);
        QCOMPARE(first.phaseTime, 0.1);
        QCOMPARE(first.phaseRequests, 250u);
        QVERIFY(first.p50Nanos >= 1900 && first.p50Nanos <= 2100);
        QVERIFY(first.p99Nanos >= 1900 && first.p99Nanos <= 2100);
        QVERIFY2(first.p999Nanos >= 49'000 && first.p999Nanos <= 51'000, qPrintable(QString::number(first.p999Nanos)));
        QVERIFY2(first.maxNanos >= 399'000 && first.maxNanos <= 410'000, qPrintable(QString::number(first.maxNanos)));
        t.counts.requests = 260;
        const MetricsSnapshot second = sampler.next(t, 1'300'000'000);
        QCOMPARE(second.requests, 10u);
        QCOMPARE(second.hits, 0u);
        QCOMPARE(second.interval, 0.2);
        QCOMPARE(second.p50Nanos, 0); // no request timed in the interval
        QCOMPARE(second.p999Nanos, 0);
        QCOMPARE(second.maxNanos, 0);
    }

    void kpisFollowTheirDefinitions_data()
    {
        QTest::addColumn<QString>("kpi");
        QTest::addColumn<double>("expected");
        // Baseline: 1000 requests, 1000 statements in 2 s, p50 100 µs, p99 900 µs.
        // Tuned: 5000 requests, 100 statements in 1 s, 4990 of 5000 reads hit, p50 10 µs, p99 300 µs.
        QTest::addRow("hit rate") << u"hit_rate"_s << 4990.0 / 5000.0;
        QTest::addRow("statements per request") << u"db_query_reduction"_s << 1.0 - (100.0 / 5000.0) / 1.0;
        QTest::addRow("throughput") << u"throughput_ratio"_s << 5000.0 / 500.0;
        QTest::addRow("p50") << u"p50_reduction"_s << 1.0 - 10.0 / 100.0;
        QTest::addRow("p99") << u"p99_reduction"_s << 1.0 - 300.0 / 900.0;
        QTest::addRow("transfer") << u"transfer_reduction"_s << 1.0 - 300.0 / 1200.0;
        QTest::addRow("cold start") << u"cold_start_reduction"_s << 1.0 - 0.5 / 2.0;
    }
    void kpisFollowTheirDefinitions()
    {
        QFETCH(QString, kpi);
        QFETCH(double, expected);
        KpiInputs in;
        in.baseline = phase(1000, 1000, 0, 1000, 2.0, 100'000, 900'000);
        in.tuned = phase(5000, 5000, 4990, 100, 1.0, 10'000, 300'000);
        in.bytesProjected = 300;
        in.bytesFull = 1200;
        in.warmStartSeconds = 0.5;
        in.coldStartSeconds = 2.0;
        const KpiDef *def = findKpi(kpi);
        QVERIFY(def);
        const std::optional<double> value = def->compute(in);
        QVERIFY(value);
        QCOMPARE(*value, expected);
        // Without any input nothing is measured.
        QVERIFY(!def->compute(KpiInputs {}));
    }

    void kpisNeedWhatTheyCompare()
    {
        KpiInputs in;
        in.tuned = phase(5000, 5000, 4990, 100, 1.0, 10'000, 300'000);
        // No baseline: only the hit rate is measured.
        QVERIFY(findKpi(u"hit_rate"_s)->compute(in));
        for (const QString &key : {u"db_query_reduction"_s, u"throughput_ratio"_s, u"p50_reduction"_s})
            QVERIFY2(!findKpi(key)->compute(in), qPrintable(key));
        // A baseline without statements gives no per-statement reduction.
        in.baseline = phase(1000, 1000, 0, 0, 2.0, 100'000, 900'000);
        QVERIFY(!findKpi(u"db_query_reduction"_s)->compute(in));
        // A tuned phase without reads has no hit rate.
        in.tuned = phase(10, 0, 0, 10, 1.0, 1, 1);
        QVERIFY(!findKpi(u"hit_rate"_s)->compute(in));
    }

    // The hit-rate bound worked by hand. Baseline: 100,000 requests in 1 s of worker time, their
    // latencies adding up to 0.93 s: a baseline read costs 10 µs. Tuned: 300,000 requests in 1 s,
    // 240,000 hits at 0.25 µs and 60,000 misses at 12 µs (0.78 s of latency): 0.22 s outside the
    // requests, 0.7333 µs each, so a hit costs 0.98333 µs = 0.098333 reads; h = 0.8;
    // B = 1 / (0.2 + 0.8 · 0.098333) = 3.5885; R = 3; a miss costs (1/3 − 0.8 c) / 0.2 = 1.2733.
    // The same on two workers over half the time. Clients that wait (latencies adding up to more
    // than the worker time): nothing outside the requests, a hit costs 0.25 / 10.
    void hitRateBoundFollowsTheCostModel_data()
    {
        QTest::addColumn<int>("workers");
        QTest::addColumn<double>("seconds");
        QTest::addColumn<double>("tunedLatency");
        QTest::addColumn<double>("hitCost");
        QTest::addRow("one worker") << 1 << 1.0 << 0.78 << (0.25 + 0.22e6 / 300'000) / 10.0;
        QTest::addRow("two workers, half the time") << 2 << 0.5 << 0.78 << (0.25 + 0.22e6 / 300'000) / 10.0;
        QTest::addRow("clients that wait") << 1 << 1.0 << 1.5 << 0.25 / 10.0;
    }
    void hitRateBoundFollowsTheCostModel()
    {
        QFETCH(int, workers);
        QFETCH(double, seconds);
        QFETCH(double, tunedLatency);
        QFETCH(double, hitCost);
        KpiInputs in;
        in.workers = workers;
        in.closedModel = true;
        in.baseline = phase(100'000, 100'000, 0, 100'000, seconds, 9'000, 20'000);
        in.baseline->latencyNanos = 0.93e9 / workers * (seconds * workers);
        in.tuned = phase(300'000, 300'000, 240'000, 60'000, seconds, 300, 15'000);
        in.tuned->counts.hitNanos = 240'000 * 250;
        in.tuned->latencyNanos = tunedLatency * 1e9 * seconds * workers;
        const std::optional<HitCostModel> m = HitCostModel::of(in);
        QVERIFY(m);
        QCOMPARE(m->hitShare, 0.8);
        QVERIFY(qAbs(m->hitCost - hitCost) < 1e-12);
        const double bound = 1.0 / (0.2 + 0.8 * hitCost);
        QVERIFY(qAbs(m->bound - bound) < 1e-9);
        QVERIFY(qAbs(m->efficiency - 3.0 / bound) < 1e-9);
        QVERIFY(m->missCost);
        QVERIFY(qAbs(*m->missCost - (1.0 / 3.0 - 0.8 * hitCost) / 0.2) < 1e-9);
        QVERIFY(qAbs(*findKpi(u"hit_rate_bound"_s)->compute(in) - bound) < 1e-9);
        QVERIFY(qAbs(*findKpi(u"bound_efficiency"_s)->compute(in) - 3.0 / bound) < 1e-9);
    }

    // The bound is a closed-model capacity figure: it needs timed hits and a baseline, and says
    // nothing of an open model (latency from the schedule) or of clients that think.
    void hitRateBoundNeedsTimedHitsInAClosedModel_data()
    {
        QTest::addColumn<int>("what");
        QTest::addRow("open model or think time") << 0;
        QTest::addRow("workers unknown") << 1;
        QTest::addRow("request timing off") << 2;
        QTest::addRow("no hits") << 3;
        QTest::addRow("no baseline") << 4;
        QTest::addRow("every request a hit: no miss cost") << 5;
    }
    void hitRateBoundNeedsTimedHitsInAClosedModel()
    {
        QFETCH(int, what);
        KpiInputs in;
        in.workers = 1;
        in.closedModel = true;
        in.baseline = phase(100'000, 100'000, 0, 100'000, 1.0, 9'000, 20'000);
        in.baseline->latencyNanos = 0.93e9;
        in.tuned = phase(300'000, 300'000, 240'000, 60'000, 1.0, 300, 15'000);
        in.tuned->counts.hitNanos = 240'000 * 250;
        in.tuned->latencyNanos = 0.78e9;
        QVERIFY(HitCostModel::of(in));
        switch (what) {
        case 0:
            in.closedModel = false;
            break;
        case 1:
            in.workers = 0;
            break;
        case 2:
            in.tuned->latencyNanos = 0;
            in.tuned->counts.hitNanos = 0;
            break;
        case 3:
            in.tuned->counts.hits = 0;
            break;
        case 4:
            in.baseline.reset();
            break;
        case 5:
            in.tuned->counts.hits = 300'000;
            break;
        }
        const std::optional<HitCostModel> m = HitCostModel::of(in);
        if (what == 5) {
            QVERIFY(m);
            QVERIFY(!m->missCost);
            return;
        }
        QVERIFY(!m);
        QVERIFY(!findKpi(u"hit_rate_bound"_s)->compute(in));
        QVERIFY(!findKpi(u"bound_efficiency"_s)->compute(in));
    }

    void kpiKeysAreDistinctAndFormatByKind()
    {
        QSet<QString> keys;
        for (const KpiDef &k : kpiTable())
            keys.insert(k.key);
        QCOMPARE(keys.size(), kpiTable().size());
        QCOMPARE(findKpi(u"throughput_ratio"_s)->format(5.234), u"5.23×"_s);
        QCOMPARE(findKpi(u"hit_rate"_s)->format(0.9912), u"99.1 %"_s);
        QVERIFY(!findKpi(u"no_such_kpi"_s));
    }
};

QTEST_GUILESS_MAIN(TestRequestCounts)
#include "tst_requestcounts.moc"
