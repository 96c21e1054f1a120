// Acceptance verdicts: PASS, FAIL or INCONCLUSIVE per criterion, with the stretch each was judged
// on, its margin and the measured value's 95 % interval.
#include "core/result/runresult.h"

#include "core/metrics/interval.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// Bootstrap replicates: 1000 put the 2.5 % and 97.5 % quantiles within about ±0.7 % of their
// value's spread; a fixed seed makes a result's report the same each time it is written.
constexpr int kReplicates = 1000;
constexpr std::uint64_t kBootstrapSeed = 0x43616368655363ULL;

QJsonValue number(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

// The snapshots of one stretch, resampled with replacement: each draw gives how many times each
// snapshot is taken, and the figures of the stretch those copies make up.
class Resampler {
public:
    explicit Resampler(QList<const MetricsSnapshot *> snapshots)
        : m_snapshots(std::move(snapshots))
        , m_byP50(order(&MetricsSnapshot::p50Nanos))
        , m_byP99(order(&MetricsSnapshot::p99Nanos))
    {
    }

    qsizetype size() const { return m_snapshots.size(); }

    std::vector<std::uint32_t> draw(std::mt19937_64 &random) const
    {
        std::vector<std::uint32_t> taken(std::size_t(m_snapshots.size()), 0);
        std::uniform_int_distribution<std::size_t> pick(0, taken.size() - 1);
        for (std::size_t i = 0; i < taken.size(); ++i)
            ++taken[pick(random)];
        return taken;
    }

    std::vector<std::uint32_t> all() const { return std::vector<std::uint32_t>(std::size_t(m_snapshots.size()), 1); }

    // The stretch the copies make up: counters, length and latency sum add up; its p50 and p99
    // are the request-weighted medians of the snapshots' own (a snapshot's percentiles do not
    // add up), which is why an interval is centred on the exact figure afterwards.
    KpiPhase phase(const std::vector<std::uint32_t> &taken) const
    {
        KpiPhase p;
        for (qsizetype i = 0; i < m_snapshots.size(); ++i) {
            const std::uint32_t n = taken[std::size_t(i)];
            if (n == 0)
                continue;
            const MetricsSnapshot &s = *m_snapshots[i];
            for (const auto &field : RequestCounts::fields())
                p.counts.*(field.member) += std::uint64_t(n) * (s.*(field.member));
            p.seconds += n * s.interval;
            p.latencyNanos += double(n) * double(s.latencySumNanos);
        }
        p.p50Nanos = weightedMedian(m_byP50, taken, &MetricsSnapshot::p50Nanos);
        p.p99Nanos = weightedMedian(m_byP99, taken, &MetricsSnapshot::p99Nanos);
        return p;
    }

private:
    using Member = std::int64_t MetricsSnapshot::*;

    std::vector<qsizetype> order(Member member) const
    {
        std::vector<qsizetype> indices(std::size_t(m_snapshots.size()));
        for (std::size_t i = 0; i < indices.size(); ++i)
            indices[i] = qsizetype(i);
        std::stable_sort(indices.begin(), indices.end(),
            [&](qsizetype a, qsizetype b) { return m_snapshots[a]->*member < m_snapshots[b]->*member; });
        return indices;
    }

    std::int64_t weightedMedian(
        const std::vector<qsizetype> &sorted, const std::vector<std::uint32_t> &taken, Member member) const
    {
        double total = 0.0;
        for (const qsizetype i : sorted)
            total += double(taken[std::size_t(i)]) * double(m_snapshots[i]->requests);
        double seen = 0.0;
        for (const qsizetype i : sorted) {
            seen += double(taken[std::size_t(i)]) * double(m_snapshots[i]->requests);
            if (total > 0 && seen >= total / 2)
                return m_snapshots[i]->*member;
        }
        return 0;
    }

    QList<const MetricsSnapshot *> m_snapshots;
    std::vector<qsizetype> m_byP50;
    std::vector<qsizetype> m_byP99;
};

// The KPI inputs of the snapshots as they are (what a replicate is compared with) and of
// kReplicates resamplings of them; a side with fewer than two snapshots is not resampled.
struct Bootstrap {
    KpiInputs asSampled;
    std::vector<KpiInputs> replicates;
    bool baselineResampled = false;
    bool tunedResampled = false;

    static Bootstrap of(const KpiInputs &in, const Resampler &baseline, const Resampler &tuned)
    {
        Bootstrap b;
        b.baselineResampled = in.baseline && baseline.size() >= 2;
        b.tunedResampled = in.tuned && tuned.size() >= 2;
        b.asSampled = in;
        if (b.baselineResampled)
            b.asSampled.baseline = baseline.phase(baseline.all());
        if (b.tunedResampled)
            b.asSampled.tuned = tuned.phase(tuned.all());
        std::mt19937_64 random(kBootstrapSeed);
        b.replicates.reserve(kReplicates);
        for (int i = 0; i < kReplicates; ++i) {
            KpiInputs r = b.asSampled;
            if (b.baselineResampled)
                r.baseline = baseline.phase(baseline.draw(random));
            if (b.tunedResampled)
                r.tuned = tuned.phase(tuned.draw(random));
            b.replicates.push_back(r);
        }
        return b;
    }

    // The 95 % percentile interval of \a kpi, moved by the difference between the exact figure
    // and the snapshots' own (the "as sampled" value), so that it surrounds what the run reports.
    std::optional<std::pair<double, double>> interval(const KpiDef &kpi, double measured) const
    {
        if (!tunedResampled || (kpi.againstBaseline && !baselineResampled))
            return std::nullopt;
        const std::optional<double> sampled = kpi.compute(asSampled);
        if (!sampled || !std::isfinite(*sampled))
            return std::nullopt;
        std::vector<double> values;
        values.reserve(replicates.size());
        for (const KpiInputs &r : replicates) {
            if (const std::optional<double> v = kpi.compute(r); v && std::isfinite(*v))
                values.push_back(*v);
        }
        // A KPI that a tenth of the resamplings cannot measure (no hits drawn) has no interval.
        if (values.size() < replicates.size() * 9 / 10)
            return std::nullopt;
        std::sort(values.begin(), values.end());
        const auto at = [&](double q) { return values[std::size_t(std::floor(q * double(values.size() - 1)))]; };
        const double shift = measured - *sampled;
        return std::pair {at(0.025) + shift, at(0.975) + shift};
    }
};

// A text of the "Verdict" context: as written (results and the command line stay English), or in
// the language whose translations the application has installed (the window's, its reports').
QString text(const char *source, bool translated)
{
    return translated ? QCoreApplication::translate("Verdict", source) : QString::fromUtf8(source);
}

QString stretchName(const JudgedStretch &j, bool translated)
{
    if (j.phase == Phase::Baseline) {
        return j.lastSegment ? text(QT_TRANSLATE_NOOP("Verdict", "baseline phase's last segment"), translated)
                             : text(QT_TRANSLATE_NOOP("Verdict", "baseline phase"), translated);
    }
    if (j.phase == Phase::Cold) {
        return j.lastSegment ? text(QT_TRANSLATE_NOOP("Verdict", "cold phase's last segment"), translated)
                             : text(QT_TRANSLATE_NOOP("Verdict", "cold phase"), translated);
    }
    return j.lastSegment ? text(QT_TRANSLATE_NOOP("Verdict", "cached phase's last segment"), translated)
                         : text(QT_TRANSLATE_NOOP("Verdict", "cached phase"), translated);
}
} // namespace

QString verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pass:
        return u"pass"_s;
    case Verdict::Fail:
        return u"fail"_s;
    case Verdict::Inconclusive:
        break;
    }
    return u"inconclusive"_s;
}

QJsonObject JudgedStretch::toJson() const
{
    return QJsonObject {{u"phase"_s, phaseName(phase)}, {u"start_s"_s, startS}, {u"end_s"_s, endS},
        {u"seconds"_s, seconds}, {u"requests"_s, qint64(requests)}, {u"last_segment"_s, lastSegment}};
}

QString CriterionResult::reason(bool translated) const
{
    // The stretch that fell short: the shorter of the two judged.
    const auto shortest = [this](auto measure) -> const JudgedStretch * {
        if (!judged)
            return nullptr;
        if (against && measure(*against) < measure(*judged))
            return &*against;
        return &*judged;
    };
    switch (unjudged) {
    case Unjudged::No:
        return {};
    case Unjudged::NotMeasured:
        if (criterion.kpi == u"transfer_reduction"_s)
            return text(QT_TRANSLATE_NOOP("Verdict", "not measured in this run (choose fewer fields: workload.fields)"),
                translated);
        if (criterion.kpi == u"cold_start_reduction"_s) {
            return text(QT_TRANSLATE_NOOP("Verdict",
                            "not measured in this run (choose a warm-up: warmup.strategy, with warmup.compare=true)"),
                translated);
        }
        return text(QT_TRANSLATE_NOOP("Verdict", "not measured in this run"), translated);
    case Unjudged::TooFewRequests: {
        const JudgedStretch *s = shortest([](const JudgedStretch &j) { return double(j.requests); });
        return text(
            QT_TRANSLATE_NOOP("Verdict", "judged on %1 requests of the %2, fewer than the %3 required (min_requests)"),
            translated)
            .arg(s ? s->requests : 0)
            .arg(s ? stretchName(*s, translated) : QString())
            .arg(criterion.minRequests);
    }
    case Unjudged::TooShort: {
        const JudgedStretch *s = shortest([](const JudgedStretch &j) { return j.seconds; });
        return text(QT_TRANSLATE_NOOP("Verdict", "judged on %1 s of the %2, less than the %3 s required (min_seconds)"),
            translated)
            .arg(s ? s->seconds : 0.0, 0, 'f', 2)
            .arg(s ? stretchName(*s, translated) : QString())
            .arg(criterion.minSeconds, 0, 'g', 6);
    }
    case Unjudged::NotANumber:
        break;
    }
    return text(QT_TRANSLATE_NOOP("Verdict", "the measured value is not a number"), translated);
}

QJsonObject CriterionResult::toJson() const
{
    QJsonValue interval = QJsonValue::Null;
    if (low && high) {
        interval
            = QJsonObject {{u"low"_s, *low}, {u"high"_s, *high}, {u"level"_s, 0.95}, {u"method"_s, intervalMethod}};
    }
    return QJsonObject {
        {u"name"_s, criterion.name},
        {u"kpi"_s, criterion.kpi},
        {u"op"_s, criterion.op},
        {u"target"_s, criterion.target},
        {u"measured"_s, number(measured && std::isfinite(*measured) ? measured : std::nullopt)},
        {u"margin"_s, number(margin && std::isfinite(*margin) ? margin : std::nullopt)},
        {u"passed"_s, passed ? QJsonValue(*passed) : QJsonValue(QJsonValue::Null)},
        {u"verdict"_s, verdictName(verdict)},
        {u"reason"_s, unjudged == Unjudged::No ? QJsonValue(QJsonValue::Null) : QJsonValue(reason())},
        {u"margin_relative"_s,
            number(marginRelative && std::isfinite(*marginRelative) ? marginRelative : std::nullopt)},
        {u"interval"_s, interval},
        {u"within_noise"_s, withinNoise()},
        {u"min_requests"_s, qint64(criterion.minRequests)},
        {u"min_seconds"_s, criterion.minSeconds},
        {u"judged"_s, judged ? QJsonValue(judged->toJson()) : QJsonValue(QJsonValue::Null)},
        {u"against"_s, against ? QJsonValue(against->toJson()) : QJsonValue(QJsonValue::Null)},
    };
}

std::optional<JudgedStretch> RunResult::judgedStretch(Phase phase) const
{
    const std::optional<PhaseResult> &whole
        = phase == Phase::Baseline ? baseline : (phase == Phase::Cold ? cold : cached);
    if (!whole)
        return std::nullopt;
    int count = 0;
    const SegmentResult *last = nullptr;
    double first = 0.0;
    for (const SegmentResult &segment : segments) {
        if (segment.phase != phase || segment.warmup)
            continue;
        if (count++ == 0)
            first = segment.startS;
        last = &segment;
    }
    JudgedStretch j;
    j.phase = phase;
    if (count > 1) {
        j.startS = last->startS;
        j.endS = last->endS;
        j.seconds = last->stats.durationS;
        j.requests = last->stats.requests;
        j.lastSegment = true;
        return j;
    }
    j.startS = last ? first : 0.0;
    j.endS = last ? last->endS : whole->durationS;
    j.seconds = whole->durationS;
    j.requests = whole->requests;
    return j;
}

QList<const MetricsSnapshot *> RunResult::judgedSnapshots(Phase phase) const
{
    QList<const MetricsSnapshot *> out;
    const std::optional<JudgedStretch> j = judgedStretch(phase);
    if (!j)
        return out;
    for (const MetricsSnapshot &s : timeSeries) {
        if (s.phase != phase || s.warmup || s.interval <= 0)
            continue;
        if (j->lastSegment && (s.runTime <= j->startS || s.runTime > j->endS))
            continue;
        out.append(&s);
    }
    return out;
}

void RunResult::judgeCriteria()
{
    criteria.clear();
    const KpiInputs in = kpiInputs();
    const std::optional<JudgedStretch> tuned = judgedStretch(Phase::Cached);
    const std::optional<JudgedStretch> base = judgedStretch(Phase::Baseline);
    std::optional<Bootstrap> bootstrap; // made when the first criterion needs it
    bool anyFailed = false;
    bool anyInconclusive = scenario.criteria.isEmpty();
    for (const Criterion &criterion : scenario.criteria) {
        const KpiDef *def = findKpi(criterion.kpi);
        CriterionResult r;
        r.criterion = criterion;
        r.measured = kpi(criterion.kpi);
        r.margin = criterion.margin(r.measured);
        r.judged = tuned;
        if (def && def->againstBaseline)
            r.against = base;
        if (r.margin && criterion.target != 0.0)
            r.marginRelative = *r.margin / std::abs(criterion.target);

        if (r.measured && std::isfinite(*r.measured) && def) {
            if (criterion.kpi == u"hit_rate"_s && in.tuned) {
                const Estimate e = exactBinomialInterval(in.tuned->counts.hits, in.tuned->counts.reads);
                r.low = e.low;
                r.high = e.high;
                r.intervalMethod = u"exact binomial"_s;
            } else if (criterion.kpi == u"error_rate"_s && in.tuned) {
                const Estimate e = exactBinomialInterval(in.tuned->counts.errors, in.tuned->counts.requests);
                r.low = e.low;
                r.high = e.high;
                r.intervalMethod = u"exact binomial"_s;
            } else if (criterion.kpi != u"transfer_reduction"_s && criterion.kpi != u"cold_start_reduction"_s) {
                if (!bootstrap) {
                    bootstrap = Bootstrap::of(
                        in, Resampler(judgedSnapshots(Phase::Baseline)), Resampler(judgedSnapshots(Phase::Cached)));
                }
                if (const auto interval = bootstrap->interval(*def, *r.measured)) {
                    r.low = interval->first;
                    r.high = interval->second;
                    r.intervalMethod = u"bootstrap"_s;
                }
            }
            if (!r.low)
                r.intervalMethod.clear();
        }

        const auto fewest = [&](auto measure) {
            double least = tuned ? measure(*tuned) : 0.0;
            if (r.against)
                least = std::min(least, measure(*r.against));
            return least;
        };
        if (!r.measured)
            r.unjudged = Unjudged::NotMeasured;
        else if (!std::isfinite(*r.measured) || !r.margin || !std::isfinite(*r.margin))
            r.unjudged = Unjudged::NotANumber;
        else if (fewest([](const JudgedStretch &j) { return double(j.requests); }) < double(criterion.minRequests))
            r.unjudged = Unjudged::TooFewRequests;
        else if (fewest([](const JudgedStretch &j) { return j.seconds; }) < criterion.minSeconds)
            r.unjudged = Unjudged::TooShort;
        else
            r.unjudged = Unjudged::No;
        if (r.unjudged == Unjudged::No) {
            r.passed = *r.margin >= 0.0;
            r.verdict = *r.passed ? Verdict::Pass : Verdict::Fail;
        }
        anyFailed = anyFailed || r.verdict == Verdict::Fail;
        anyInconclusive = anyInconclusive || r.verdict == Verdict::Inconclusive;
        criteria.append(r);
    }
    verdict = anyFailed ? Verdict::Fail : (anyInconclusive ? Verdict::Inconclusive : Verdict::Pass);
    passed = error.isEmpty() && verdict == Verdict::Pass;
}

} // namespace cachescope
