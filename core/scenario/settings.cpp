#include "core/scenario/settings.h"

#include "core/cache/evictionpolicy.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <cmath>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {

// A setting under construction: def(...) names it and its field, the chained calls add the rest.
struct Builder {
    SettingDef setting;
    Builder &range(double min, double max)
    {
        setting.min = min;
        setting.max = max;
        return *this;
    }
    Builder &unit(const QString &unit)
    {
        setting.unit = unit;
        return *this;
    }
    Builder &names(const QString &text)
    {
        setting.values = text;
        return *this;
    }
    Builder &live()
    {
        setting.live = true;
        return *this;
    }
    operator SettingDef() const { return setting; } // NOLINT(google-explicit-constructor): the table reads so
};

template<typename T> constexpr bool kIsInteger = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// The setting whose field \a field returns (a lambda `[](auto &s) -> auto & { return s.db.rtt; }`):
// its kind follows from the field's type; a QString field with choices is a choice by name.
template<typename Field> Builder def(const QString &key, const QString &help, Field field, QStringList choices = {})
{
    using T = std::remove_cvref_t<decltype(field(std::declval<Scenario &>()))>;
    SettingDef s;
    s.key = key;
    s.help = help;
    s.choices = choices;
    if constexpr (std::is_same_v<T, bool>) {
        s.kind = SettingKind::Flag;
        if (s.choices.isEmpty())
            s.choices = {u"false"_s, u"true"_s};
        s.get = [field](const Scenario &sc) { return SettingValue(bool(field(sc))); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = std::get<bool>(v); };
    } else if constexpr (std::is_enum_v<T>) {
        s.kind = SettingKind::Choice;
        s.get = [field](const Scenario &sc) { return SettingValue(Choice {int(field(sc))}); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = T(std::get<Choice>(v).index); };
    } else if constexpr (std::is_same_v<T, QString>) {
        s.kind = choices.isEmpty() ? SettingKind::Text : SettingKind::Choice;
        if (choices.isEmpty()) {
            s.get = [field](const Scenario &sc) { return SettingValue(field(sc)); };
            s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = std::get<QString>(v); };
        } else {
            s.get = [field, choices](const Scenario &sc) {
                return SettingValue(Choice {int(std::max<qsizetype>(0, choices.indexOf(field(sc))))});
            };
            s.put = [field, choices](
                        Scenario &sc, const SettingValue &v) { field(sc) = choices.at(std::get<Choice>(v).index); };
        }
    } else if constexpr (std::is_same_v<T, std::chrono::nanoseconds>) {
        s.kind = SettingKind::Duration;
        s.get = [field](const Scenario &sc) { return SettingValue(field(sc)); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = std::get<std::chrono::nanoseconds>(v); };
    } else if constexpr (std::is_same_v<T, double>) {
        s.kind = SettingKind::Number;
        s.get = [field](const Scenario &sc) { return SettingValue(field(sc)); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = std::get<double>(v); };
    } else {
        static_assert(kIsInteger<T>, "a setting's field is an integer, number, duration, text, enum or bool");
        s.kind = SettingKind::Integer;
        s.get = [field](const Scenario &sc) { return SettingValue(std::int64_t(field(sc))); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = T(std::get<std::int64_t>(v)); };
    }
    return Builder {s};
}

QList<SettingDef> buildTable()
{
    const QStringList policies = EvictionPolicy::names();
    // clang-format off
    return {
        def(u"db.path"_s, u"SQLite database file (empty: the demo database)"_s,
            [](auto &s) -> auto & { return s.db.path; }).names(u"a SQLite file"_s),
        def(u"db.table"_s, u"table to read"_s,
            [](auto &s) -> auto & { return s.db.table; }).names(u"a table of that file"_s),
        def(u"db.key"_s, u"integer key column of the table"_s,
            [](auto &s) -> auto & { return s.db.key; }).names(u"an integer column"_s),
        def(u"db.rtt"_s, u"simulated network round-trip added to every database statement (awaited, not slept)"_s,
            [](auto &s) -> auto & { return s.db.rtt; }).live(),
        def(u"db.rtt_jitter"_s, u"each round-trip varies uniformly by up to ± this (at least 0)"_s,
            [](auto &s) -> auto & { return s.db.rttJitter; }).live(),
        def(u"db.retries"_s, u"extra attempts of a statement that failed with a retryable error (busy, locked, I/O)"_s,
            [](auto &s) -> auto & { return s.db.retries; }).range(0, 100).unit(u"attempts"_s),
        def(u"db.retry_backoff"_s, u"base of the exponential backoff between attempts (full jitter, at most 100 ms)"_s,
            [](auto &s) -> auto & { return s.db.retryBackoff; }),
        def(u"db.connections"_s, u"database connections per worker thread: statements (with their round-trip) in "
                                 "flight at once; 0 = no limit"_s,
            [](auto &s) -> auto & { return s.db.connections; }).range(0, 4096).unit(u"connections"_s),
        def(u"db.failure_rate"_s, u"share of database statements that fail (simulated, seeded)"_s,
            [](auto &s) -> auto & { return s.db.failureRate; }).range(0, 1).unit(u"share"_s).live(),
        def(u"db.stall"_s, u"a stall of the database connection (it blocks, like a lock wait) every db.stall_every "
                           "statements"_s,
            [](auto &s) -> auto & { return s.db.stall; }),
        def(u"db.stall_every"_s, u"statements of a connection between two stalls (0 = no stalls)"_s,
            [](auto &s) -> auto & { return s.db.stallEvery; }).range(0, 1'000'000'000).unit(u"statements"_s),
        def(u"workload.distribution"_s, u"key popularity"_s,
            [](auto &s) -> auto & { return s.workload.distribution; },
            {u"zipf"_s, u"uniform"_s, u"hotspot"_s, u"shifting"_s, u"trace"_s}),
        def(u"workload.hot_keys"_s, u"hotspot/shifting: share of the keys that are hot"_s,
            [](auto &s) -> auto & { return s.workload.hotKeys; }).range(0.000001, 1).unit(u"share"_s),
        def(u"workload.hot_requests"_s, u"hotspot/shifting: share of the requests that go to the hot keys"_s,
            [](auto &s) -> auto & { return s.workload.hotRequests; }).range(0.000001, 1).unit(u"share"_s),
        def(u"workload.shift_every"_s, u"shifting: the hot set moves to the next keys this often"_s,
            [](auto &s) -> auto & { return s.workload.shiftEvery; }),
        def(u"workload.trace"_s, u"trace: a key trace file (the formats of cachescope simulate)"_s,
            [](auto &s) -> auto & { return s.workload.trace; }).names(u"a trace file"_s),
        def(u"workload.trace_format"_s,
            u"trace: keys (one per line), csv, or oracleGeneral (libCacheSim's binary records); zstd-compressed "
            "files are read as they decompress"_s,
            [](auto &s) -> auto & { return s.workload.traceFormat; }, {u"keys"_s, u"csv"_s, u"oracleGeneral"_s}),
        def(u"workload.trace_column"_s, u"trace: the key's column in a CSV trace (1-based)"_s,
            [](auto &s) -> auto & { return s.workload.traceColumn; }).range(1, 10000),
        def(u"workload.zipf"_s, u"Zipf exponent (0 = uniform)"_s,
            [](auto &s) -> auto & { return s.workload.zipf; }).range(0, 5),
        def(u"workload.keys"_s, u"distinct keys drawn from the table"_s,
            [](auto &s) -> auto & { return s.workload.keys; }).range(1, 50'000'000).unit(u"keys"_s),
        def(u"workload.seed"_s, u"seed of every random choice"_s,
            [](auto &s) -> auto & { return s.workload.seed; }).range(0, 9'007'199'254'740'991.0),
        def(u"workload.model"_s, u"load model: closed (N clients back to back) or open (arrivals at workload.rate, "
                                 "latency from each request's intended start)"_s,
            [](auto &s) -> auto & { return s.workload.model; }, {u"closed"_s, u"open"_s}),
        def(u"workload.rate"_s, u"open model: target requests per second, all clients together"_s,
            [](auto &s) -> auto & { return s.workload.rate; }).range(1, 10'000'000).unit(u"requests/s"_s).live(),
        def(u"workload.arrival"_s, u"open model: poisson (exponential gaps) or constant arrivals"_s,
            [](auto &s) -> auto & { return s.workload.arrival; }, {u"poisson"_s, u"constant"_s}),
        def(u"workload.concurrency"_s, u"concurrent clients"_s,
            [](auto &s) -> auto & { return s.workload.concurrency; }).range(1, 4096).unit(u"clients"_s).live(),
        def(u"workload.read_ratio"_s, u"share of requests that are reads; the rest write their row (the database is "
                                      "then opened for writing)"_s,
            [](auto &s) -> auto & { return s.workload.readRatio; }).range(0, 1).unit(u"share"_s),
        def(u"workload.think_time"_s, u"closed model: each client's pause between two requests"_s,
            [](auto &s) -> auto & { return s.workload.thinkTime; }).live(),
        def(u"workload.fields"_s, u"projection: comma-separated column names, checked against the table (empty: all "
                                  "columns)"_s,
            [](auto &s) -> auto & { return s.workload.fields; }).names(u"column names of db.table, comma-separated"_s),
        def(u"cache.l1.capacity"_s, u"L1 size in entries"_s,
            [](auto &s) -> auto & { return s.cache.l1.capacity; }).range(0, 100'000'000).unit(u"entries"_s).live(),
        def(u"cache.l1.ttl"_s, u"L1 time to live (0 = no expiry)"_s,
            [](auto &s) -> auto & { return s.cache.l1.ttl; }).live(),
        def(u"cache.l1.policy"_s, u"L1 eviction policy"_s,
            [](auto &s) -> auto & { return s.cache.l1.policy; }, policies).live(),
        def(u"cache.l1.max_bytes"_s, u"L1 byte limit, key + value + overhead per entry (0 = none)"_s,
            [](auto &s) -> auto & { return s.cache.l1.maxBytes; }).range(0, 1e15).unit(u"bytes"_s).live(),
        def(u"cache.ttl_jitter"_s, u"random share taken off each entry's TTL (spreads expiry)"_s,
            [](auto &s) -> auto & { return s.cache.ttlJitter; }).range(0, 0.5).unit(u"share"_s).live(),
        def(u"cache.negative_ttl"_s, u"how long a \"no such row\" answer is remembered, so a missing key is not read again (0 = not remembered)"_s,
            [](auto &s) -> auto & { return s.cache.negativeTtl; }).live(),
        def(u"cache.l2.capacity"_s, u"L2 size in entries (0 = no L2)"_s,
            [](auto &s) -> auto & { return s.cache.l2.capacity; }).range(0, 100'000'000).unit(u"entries"_s).live(),
        def(u"cache.l2.ttl"_s, u"L2 time to live (0 = no expiry)"_s,
            [](auto &s) -> auto & { return s.cache.l2.ttl; }).live(),
        def(u"cache.l2.policy"_s, u"L2 eviction policy"_s,
            [](auto &s) -> auto & { return s.cache.l2.policy; }, policies).live(),
        def(u"cache.l2.max_bytes"_s, u"L2 byte limit (0 = none)"_s,
            [](auto &s) -> auto & { return s.cache.l2.maxBytes; }).range(0, 1e15).unit(u"bytes"_s).live(),
        def(u"cache.mode"_s, u"L2 inclusive (holds what L1 holds) or exclusive (holds what L1 evicted)"_s,
            [](auto &s) -> auto & { return s.cache.mode; }, {u"inclusive"_s, u"exclusive"_s}).live(),
        def(u"cache.write_policy"_s, u"what a write does to the cached copy"_s,
            [](auto &s) -> auto & { return s.cache.writePolicy; }, {u"invalidate"_s, u"write-through"_s}).live(),
        def(u"cache.batch_loads"_s, u"coalesce misses arriving within cache.batch_window into one IN (...) statement "
                                    "per worker"_s,
            [](auto &s) -> auto & { return s.cache.batchLoads; }),
        def(u"cache.batch_window"_s, u"how long a batch gathers loads before it is sent"_s,
            [](auto &s) -> auto & { return s.cache.batchWindow; }),
        def(u"cache.batch_max"_s, u"largest batch (a full batch is sent at once)"_s,
            [](auto &s) -> auto & { return s.cache.batchMax; }).range(1, 500).unit(u"keys"_s),
        def(u"duration.baseline"_s, u"length of the uncached baseline phase"_s,
            [](auto &s) -> auto & { return s.duration.baseline; }),
        def(u"duration.cached"_s, u"length of the cached phase"_s,
            [](auto &s) -> auto & { return s.duration.cached; }),
        def(u"duration.warmup"_s, u"run before each phase's measured part and left out of its figures (connections, "
                                  "page cache, JIT of the host)"_s,
            [](auto &s) -> auto & { return s.duration.warmup; }),
        def(u"warmup.strategy"_s, u"keys loaded into the cache when the cached phase starts: none, the top N of the "
                                  "last hot-set snapshot, a keys file, or a query ordered by columns"_s,
            [](auto &s) -> auto & { return s.warmup.strategy; },
            {u"none"_s, u"top-n"_s, u"keys-file"_s, u"query"_s}),
        def(u"warmup.keys"_s, u"most keys a warm-up loads (N of top-n and query; the file's first N)"_s,
            [](auto &s) -> auto & { return s.warmup.keys; }).range(1, 10'000'000).unit(u"keys"_s),
        def(u"warmup.keys_file"_s, u"keys-file: one integer key per line, hottest first"_s,
            [](auto &s) -> auto & { return s.warmup.keysFile; }).names(u"a keys file"_s),
        def(u"warmup.order_by"_s, u"query: \"column [asc|desc], ...\" of the table — SELECT key ... ORDER BY it LIMIT "
                                  "warmup.keys"_s,
            [](auto &s) -> auto & { return s.warmup.orderBy; }).names(u"columns of db.table, each asc or desc"_s),
        def(u"warmup.max_time"_s, u"time budget of a warm-up; what is left is skipped (0 = none)"_s,
            [](auto &s) -> auto & { return s.warmup.maxTime; }),
        def(u"warmup.concurrency"_s, u"warm-up statements in flight at once (all engine threads)"_s,
            [](auto &s) -> auto & { return s.warmup.concurrency; }).range(1, 256).unit(u"statements"_s),
        def(u"warmup.batch"_s, u"keys per warm-up statement (one IN (...))"_s,
            [](auto &s) -> auto & { return s.warmup.batch; }).range(1, 500).unit(u"keys"_s),
        def(u"warmup.priority"_s, u"background: live requests go first (connections, event loop); foreground: "
                                  "warm-up competes as equal"_s,
            [](auto &s) -> auto & { return s.warmup.priority; }, {u"background"_s, u"foreground"_s}),
        def(u"warmup.auto"_s, u"true: warm up as many keys as the last run suggested (covering warmup.coverage of its "
                              "reads)"_s,
            [](auto &s) -> auto & { return s.warmup.autoSize; }),
        def(u"warmup.coverage"_s, u"share of reads the suggested warm-up size should cover"_s,
            [](auto &s) -> auto & { return s.warmup.coverage; }).range(0.01, 1.0).unit(u"share"_s),
        def(u"warmup.compare"_s, u"true: with a warm-up, run the cached phase cold first (same seed) to measure the "
                                 "cold-start reduction"_s,
            [](auto &s) -> auto & { return s.warmup.compare; }),
        def(u"warmup.snapshot"_s, u"hot-set snapshot file read by top-n and written after each run (empty: one per "
                                  "table in the user's data folder)"_s,
            [](auto &s) -> auto & { return s.warmup.snapshot; }).names(u"a hot-set snapshot file"_s),
        def(u"engine.workers"_s, u"engine worker threads (0 = one per core)"_s,
            [](auto &s) -> auto & { return s.engine.workers; }).range(0, 256).unit(u"threads"_s),
        def(u"engine.metrics"_s, u"on: every request timed into the latency histograms; off: counts only (to measure "
                                 "what timing costs)"_s,
            [](auto &s) -> auto & { return s.engine.recordLatency; }, {u"off"_s, u"on"_s}),
    };
    // clang-format on
}

// The shortest text that reads back as the same double: 0.2, not 0.20000000000000001; whole
// numbers in full (9007199254740991, not 9.007199254740991e+15).
QString number(double value)
{
    if (value == std::trunc(value) && std::abs(value) <= 9007199254740992.0)
        return QString::number(std::int64_t(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace

const QList<SettingDef> &settingTable()
{
    static const QList<SettingDef> table = buildTable();
    return table;
}

const SettingDef *findSetting(const QString &key)
{
    for (const SettingDef &setting : settingTable()) {
        if (setting.key == key)
            return &setting;
    }
    return nullptr;
}

QString settingText(const Scenario &scenario, const QString &key)
{
    const SettingDef *setting = findSetting(key);
    return setting ? setting->text(setting->get(scenario)) : QString();
}

QStringList settingKeys()
{
    QStringList keys;
    for (const SettingDef &setting : settingTable())
        keys.append(setting.key);
    return keys;
}

SettingValue SettingDef::parse(const QJsonValue &raw) const
{
    const auto fail = [&](const QString &why) -> SettingValue {
        const QString shown = raw.isString()
            ? u"'"_s + raw.toString() + u"'"_s
            : QString::fromUtf8(QJsonDocument(QJsonArray {raw}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
        throw ScenarioError(key + u": "_s + shown + u" is not valid: "_s + why);
    };
    switch (kind) {
    case SettingKind::Integer:
    case SettingKind::Number: {
        double value = 0;
        bool ok = false;
        if (raw.isDouble()) {
            value = raw.toDouble();
            ok = true;
        } else if (raw.isString()) {
            value = raw.toString().trimmed().toDouble(&ok);
        }
        if (!ok || !std::isfinite(value))
            return fail(kind == SettingKind::Integer ? u"expected an integer"_s : u"expected a number"_s);
        if (kind == SettingKind::Integer && value != std::floor(value))
            return fail(u"expected an integer"_s);
        if (value < min || value > max)
            return fail(u"must be between %1 and %2"_s.arg(number(min), number(max)));
        if (kind == SettingKind::Integer)
            return std::int64_t(value);
        return value;
    }
    case SettingKind::Duration: {
        std::optional<std::chrono::nanoseconds> d;
        if (raw.isDouble() && raw.toDouble() >= 0)
            d = parseDuration(QString::number(raw.toDouble(), 'f', 9));
        else if (raw.isString())
            d = parseDuration(raw.toString());
        if (!d)
            return fail(u"expected a duration such as 250us, 5ms, 30s or 2m"_s);
        if (double(d->count()) < min)
            return fail(u"must be at least "_s + formatDuration(std::chrono::nanoseconds(std::int64_t(min))));
        return *d;
    }
    case SettingKind::Text:
        if (!raw.isString())
            return fail(u"expected text"_s);
        return raw.toString();
    case SettingKind::Flag:
        if (raw.isBool())
            return raw.toBool();
        [[fallthrough]];
    case SettingKind::Choice: {
        const qsizetype index = raw.isString() ? choices.indexOf(raw.toString()) : -1;
        if (index < 0)
            return fail(u"expected one of: "_s + choices.join(u", "_s));
        if (kind == SettingKind::Flag)
            return index == 1;
        return Choice {int(index)};
    }
    }
    return fail(u"unsupported"_s);
}

QString SettingDef::text(const SettingValue &value) const
{
    return std::visit(
        [this](const auto &v) -> QString {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::int64_t>)
                return QString::number(v);
            else if constexpr (std::is_same_v<T, double>)
                return number(v);
            else if constexpr (std::is_same_v<T, std::chrono::nanoseconds>)
                return formatDuration(v);
            else if constexpr (std::is_same_v<T, QString>)
                return v;
            else if constexpr (std::is_same_v<T, Choice>)
                return choices.value(v.index);
            else
                return choices.value(v ? 1 : 0);
        },
        value);
}

QJsonValue SettingDef::json(const SettingValue &value) const
{
    if (const auto *i = std::get_if<std::int64_t>(&value))
        return QJsonValue(qint64(*i));
    if (const auto *d = std::get_if<double>(&value))
        return QJsonValue(*d);
    return QJsonValue(text(value));
}

QString SettingDef::kindName() const
{
    switch (kind) {
    case SettingKind::Integer:
        return u"integer"_s;
    case SettingKind::Number:
        return u"number"_s;
    case SettingKind::Duration:
        return u"duration"_s;
    case SettingKind::Text:
        return u"text"_s;
    case SettingKind::Choice:
        return u"choice"_s;
    case SettingKind::Flag:
        return u"flag"_s;
    }
    return {};
}

QString SettingDef::rangeText() const
{
    switch (kind) {
    case SettingKind::Integer:
    case SettingKind::Number:
        return number(min) + u" … "_s + number(max);
    case SettingKind::Duration:
        return min > 0 ? u"≥ "_s + formatDuration(std::chrono::nanoseconds(std::int64_t(min))) : u"≥ 0"_s;
    case SettingKind::Text:
        return values;
    case SettingKind::Choice:
    case SettingKind::Flag:
        return u"`"_s + choices.join(u"`, `"_s) + u'`';
    }
    return {};
}

QStringList settingsChangedFromDefault(const Scenario &scenario)
{
    const Scenario defaults;
    QStringList changed;
    for (const SettingDef &setting : settingTable()) {
        if (setting.key == u"db.path"_s)
            continue; // the database, named on its own
        const QString value = setting.text(setting.get(scenario));
        if (value != setting.text(setting.get(defaults)))
            changed.append(setting.key + u'=' + value);
    }
    return changed;
}

QString SettingDef::defaultText() const
{
    return text(get(Scenario {}));
}

QString settingsMarkdown()
{
    QString out = u"| key | type | default | accepted values | live | meaning |\n|---|---|---|---|---|---|\n"_s;
    for (const SettingDef &s : settingTable()) {
        const QString value = s.defaultText();
        const QString unit = s.unit.isEmpty() ? QString() : u" "_s + s.unit;
        out += u"| `%1` | %2 | %3 | %4%5 | %6 | %7 |\n"_s.arg(s.key, s.kindName(),
            value.isEmpty() ? u"*(empty)*"_s : u'`' + value + u'`', s.rangeText(), unit, s.live ? u"yes"_s : u"no"_s,
            s.help);
    }
    return out;
}

} // namespace cachescope
