#include "core/scenario/scenario.h"

#include "core/redis/redisurl.h"
#include "core/scenario/scenario_p.h"

#include "core/scenario/settings.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QThread>

#include <cmath>
#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

namespace cachescope {

std::optional<std::chrono::nanoseconds> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(u"^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ns|us|µs|ms|s|m|h)?\\s*$"_s);
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double value = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    double scale = 1e9;
    if (unit == u"ns"_s)
        scale = 1;
    else if (unit == u"us"_s || unit == u"µs"_s)
        scale = 1e3;
    else if (unit == u"ms"_s)
        scale = 1e6;
    else if (unit == u"m"_s)
        scale = 60e9;
    else if (unit == u"h"_s)
        scale = 3600e9;
    const double nanos = value * scale;
    if (!std::isfinite(nanos) || nanos > 1e18)
        return std::nullopt;
    return std::chrono::nanoseconds(std::llround(nanos));
}

QString formatDuration(std::chrono::nanoseconds duration)
{
    const std::int64_t ns = duration.count();
    struct Unit {
        std::int64_t nanos;
        const char16_t *name;
    };
    static constexpr Unit units[]
        = {{3600'000'000'000, u"h"}, {60'000'000'000, u"m"}, {1'000'000'000, u"s"}, {1'000'000, u"ms"}, {1'000, u"us"}};
    if (ns == 0)
        return u"0s"_s;
    for (const Unit &unit : units) {
        if (ns % unit.nanos == 0)
            return QString::number(ns / unit.nanos) + QString::fromUtf16(unit.name);
    }
    return QString::number(ns) + u"ns"_s;
}

DataSourceSpec Scenario::dataSource() const
{
    DataSourceSpec spec {db.path, db.table, db.key, workload.readRatio < 1.0};
    spec.url = db.url;
    for (const QString &replica : db.replicas.split(u',', Qt::SkipEmptyParts)) {
        if (!replica.trimmed().isEmpty())
            spec.replicas << replica.trimmed();
    }
    spec.replicaReads = db.replicaReads;
    spec.primaryAfterWrite = std::chrono::duration_cast<std::chrono::nanoseconds>(db.primaryAfterWrite);
    spec.connections = db.connections;
    spec.pipelineDepth = db.pipelineDepth;
    spec.timeout
        = std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(db.timeout));
    return spec;
}

QJsonObject Scenario::toPublicJson() const
{
    QJsonObject root = toJson();
    QJsonObject dbObject = root.value(u"db"_s).toObject();
    if (!db.url.isEmpty())
        dbObject.insert(u"url"_s, DataSourceSpec::maskUrl(db.url));
    if (!db.replicas.isEmpty()) {
        QStringList masked;
        for (const QString &replica : db.replicas.split(u','))
            masked << DataSourceSpec::maskUrl(replica.trimmed());
        dbObject.insert(u"replicas"_s, masked.join(u','));
    }
    root.insert(u"db"_s, dbObject);
    if (!cache.l2Url.isEmpty()) {
        QJsonObject cacheObject = root.value(u"cache"_s).toObject();
        QJsonObject l2 = cacheObject.value(u"l2"_s).toObject();
        l2.insert(u"url"_s, maskRedisUrl(cache.l2Url));
        cacheObject.insert(u"l2"_s, l2);
        root.insert(u"cache"_s, cacheObject);
    }
    return root;
}

int Scenario::effectiveWorkers() const
{
    return engine.workers > 0 ? engine.workers : std::max(1, QThread::idealThreadCount());
}

QList<Criterion> Scenario::defaultCriteria()
{
    return {
        {QString::fromUtf8(QT_TRANSLATE_NOOP("Criterion", "cache hit rate")), u"hit_rate"_s, u">="_s, 0.99},
        {QString::fromUtf8(QT_TRANSLATE_NOOP("Criterion", "database queries reduced")), u"db_query_reduction"_s,
            u">="_s, 0.70},
        {QString::fromUtf8(QT_TRANSLATE_NOOP("Criterion", "throughput vs baseline")), u"throughput_ratio"_s, u">="_s,
            5.0},
        {QString::fromUtf8(QT_TRANSLATE_NOOP("Criterion", "response time (p50) reduced")), u"p50_reduction"_s, u">="_s,
            0.50},
        {QString::fromUtf8(QT_TRANSLATE_NOOP("Criterion", "bytes transferred reduced (projection)")),
            u"transfer_reduction"_s, u">="_s, 0.20},
        {QString::fromUtf8(QT_TRANSLATE_NOOP("Criterion", "cold-start time reduced (warm-up)")),
            u"cold_start_reduction"_s, u">="_s, 0.50},
    };
}

void Scenario::set(const QString &key, const QString &value)
{
    const SettingDef *setting = findSetting(key);
    if (!setting)
        throw ScenarioError(u"unknown setting '"_s + key + u"' (known: "_s + settingKeys().join(u", "_s) + u')');
    setting->put(*this, setting->parse(QJsonValue(value)));
}

void Scenario::applyAssignment(const QString &assignment)
{
    const qsizetype eq = assignment.indexOf(u'=');
    if (eq <= 0)
        throw ScenarioError(u"--set expects KEY=VALUE, got '"_s + assignment + u"'"_s);
    set(assignment.left(eq).trimmed(), assignment.mid(eq + 1));
}

QJsonObject Scenario::toJson() const
{
    QJsonObject root;
    for (const SettingDef &setting : settingTable()) {
        const QStringList path = setting.key.split(u'.');
        // Build nested objects along the path (depth ≤ 3 in the table).
        std::function<void(QJsonObject &, qsizetype)> put = [&](QJsonObject &obj, qsizetype i) {
            if (i == path.size() - 1) {
                obj.insert(path[i], setting.json(setting.get(*this)));
                return;
            }
            QJsonObject child = obj.value(path[i]).toObject();
            put(child, i + 1);
            obj.insert(path[i], child);
        };
        put(root, 0);
    }
    QJsonArray list;
    for (const Criterion &c : criteria) {
        list.append(QJsonObject {{u"name"_s, c.name}, {u"kpi"_s, c.kpi}, {u"op"_s, c.op}, {u"target"_s, c.target},
            {u"min_requests"_s, qint64(c.minRequests)}, {u"min_seconds"_s, c.minSeconds}});
    }
    root.insert(u"criteria"_s, list);
    QJsonArray changeList;
    for (const ScheduledChange &c : changes) {
        changeList.append(QJsonObject {{u"phase"_s, c.phase}, {u"at"_s, formatDuration(c.at)},
            {u"set"_s, QJsonArray::fromStringList(c.change.toStrings())}});
    }
    root.insert(u"changes"_s, changeList);
    return root;
}

QStringList Scenario::liveKeys()
{
    QStringList keys;
    for (const SettingDef &setting : settingTable()) {
        if (setting.live)
            keys << setting.key;
    }
    return keys;
}

Scenario Scenario::fromJson(const QJsonObject &json)
{
    Scenario scenario;
    // Walk the document: every leaf must be a known setting; every known setting present is applied.
    std::function<void(const QJsonObject &, const QString &)> walk = [&](const QJsonObject &obj,
                                                                         const QString &prefix) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            const QString key = prefix.isEmpty() ? it.key() : prefix + u'.' + it.key();
            if (key == u"criteria"_s || key == u"changes"_s)
                continue;
            if (it.value().isObject()) {
                walk(it.value().toObject(), key);
                continue;
            }
            const SettingDef *setting = findSetting(key);
            if (!setting)
                throw ScenarioError(u"unknown field '"_s + key + u"' (known: "_s + settingKeys().join(u", "_s) + u')');
            setting->put(scenario, setting->parse(it.value()));
        }
    };
    walk(json, QString());
    detail::readCriteria(json, scenario);
    detail::readChanges(json, scenario);
    return scenario;
}

} // namespace cachescope
