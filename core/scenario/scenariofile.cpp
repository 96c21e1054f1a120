// Scenario files: read with a size cap, refused when a key repeats (QJsonDocument keeps the last
// one silently), and the criteria and scheduled changes lists with every field's type checked.
#include "core/scenario/scenario.h"
#include "core/scenario/scenario_p.h"

#include "core/metrics/kpi.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// A scenario is a few kilobytes; a cap keeps /dev/zero or a wrong file from exhausting memory.
constexpr qint64 kMaxScenarioBytes = qint64(4) << 20;

QByteArray readScenarioText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw ScenarioError(u"cannot read scenario '"_s + path + u"': "_s + file.errorString());
    QByteArray text = file.read(kMaxScenarioBytes + 1);
    if (text.size() > kMaxScenarioBytes) {
        throw ScenarioError(u"scenario '"_s + path
            + u"' is larger than %1 MiB; a scenario is a small JSON object"_s.arg(kMaxScenarioBytes >> 20));
    }
    return text;
}

// A text field of a list entry: \a fallback when absent; a number or anything else is an error.
QString textField(const QJsonObject &o, const QString &key, const QString &where, const QString &fallback)
{
    if (!o.contains(key))
        return fallback;
    const QJsonValue v = o.value(key);
    if (!v.isString()) {
        throw ScenarioError(where + u'.' + key + u": expected text, not "_s
            + QString::fromUtf8(QJsonDocument(QJsonArray {v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1));
    }
    return v.toString();
}

void checkFields(const QJsonObject &o, const QStringList &known, const QString &where)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            throw ScenarioError(
                where + u": unknown field '"_s + it.key() + u"' (known: "_s + known.join(u", "_s) + u')');
    }
}
} // namespace

namespace detail {

void readCriteria(const QJsonObject &json, Scenario &scenario)
{
    if (!json.contains(u"criteria"_s))
        return;
    if (!json.value(u"criteria"_s).isArray())
        throw ScenarioError(u"criteria: expected an array of {name, kpi, op, target}"_s);
    const QJsonArray list = json.value(u"criteria"_s).toArray();
    if (list.isEmpty()) {
        throw ScenarioError(u"criteria: the list is empty, so nothing could pass or fail; leave \"criteria\" out "
                            "for the default criteria, or name at least one"_s);
    }
    scenario.criteria.clear();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = u"criteria[%1]"_s.arg(i);
        if (!list.at(i).isObject())
            throw ScenarioError(where + u": expected an object {name, kpi, op, target}"_s);
        const QJsonObject c = list.at(i).toObject();
        checkFields(c, {u"name"_s, u"kpi"_s, u"op"_s, u"target"_s, u"min_requests"_s, u"min_seconds"_s}, where);
        Criterion criterion;
        criterion.kpi = textField(c, u"kpi"_s, where, QString());
        if (!kpiKeys().contains(criterion.kpi))
            throw ScenarioError(
                where + u".kpi: '"_s + criterion.kpi + u"' is not a KPI (known: "_s + kpiKeys().join(u", "_s) + u')');
        criterion.name = textField(c, u"name"_s, where, criterion.kpi);
        // A KPI that improves downwards (p99 latency, error rate) is capped: "<=" unless told.
        criterion.op
            = textField(c, u"op"_s, where, findKpi(criterion.kpi)->better == Better::Lower ? u"<="_s : u">="_s);
        if (criterion.op != u">="_s && criterion.op != u"<="_s)
            throw ScenarioError(where + u".op: '"_s + criterion.op + u"' is not valid: expected >= or <="_s);
        if (!c.value(u"target"_s).isDouble())
            throw ScenarioError(where + u".target: expected a number"_s);
        criterion.target = c.value(u"target"_s).toDouble();
        if (c.contains(u"min_requests"_s)) {
            const QJsonValue v = c.value(u"min_requests"_s);
            if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() > 1e15)
                throw ScenarioError(where + u".min_requests: expected a whole number ≥ 0"_s);
            criterion.minRequests = std::int64_t(v.toDouble());
        }
        if (c.contains(u"min_seconds"_s)) {
            const QJsonValue v = c.value(u"min_seconds"_s);
            if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < 0)
                throw ScenarioError(where + u".min_seconds: expected a number of seconds ≥ 0"_s);
            criterion.minSeconds = v.toDouble();
        }
        scenario.criteria.append(criterion);
    }
}

void readChanges(const QJsonObject &json, Scenario &scenario)
{
    if (!json.contains(u"changes"_s))
        return;
    if (!json.value(u"changes"_s).isArray())
        throw ScenarioError(u"changes: expected an array of {phase, at, set}"_s);
    const QJsonArray list = json.value(u"changes"_s).toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString where = u"changes[%1]"_s.arg(i);
        if (!list.at(i).isObject())
            throw ScenarioError(where + u": expected an object {phase, at, set}"_s);
        const QJsonObject c = list.at(i).toObject();
        checkFields(c, {u"phase"_s, u"at"_s, u"set"_s}, where);
        ScheduledChange change;
        change.phase = textField(c, u"phase"_s, where, u"cached"_s);
        if (change.phase != u"cached"_s && change.phase != u"baseline"_s)
            throw ScenarioError(where + u".phase: '"_s + change.phase + u"' is not baseline or cached"_s);
        const std::optional<std::chrono::nanoseconds> at = parseDuration(textField(c, u"at"_s, where, QString()));
        if (!at || at->count() < 0)
            throw ScenarioError(where + u".at: expected a duration such as \"5s\" or \"250ms\""_s);
        change.at = *at;
        const QJsonValue set = c.value(u"set"_s);
        if (!set.isArray() || set.toArray().isEmpty())
            throw ScenarioError(where + u".set: expected a non-empty array of \"key=value\""_s);
        QStringList assignments;
        for (const QJsonValueConstRef a : set.toArray()) {
            if (!a.isString())
                throw ScenarioError(where + u".set: expected \"key=value\" text"_s);
            assignments << a.toString();
        }
        try {
            change.change = ConfigChange::parse(assignments, true);
        } catch (const ScenarioError &error) {
            throw ScenarioError(where + u".set: "_s + error.message());
        }
        scenario.changes.append(change);
    }
}

QString firstDuplicateKey(QByteArrayView json)
{
    struct Frame {
        bool object = false;
        QString path; // where this object or array sits
        QSet<QString> keys; // object: keys seen
        QString key; // object: the key whose value comes next
        qsizetype index = 0; // array: the element's index
        bool expectKey = true; // object: the next string is a key
    };
    std::vector<Frame> stack;
    const auto childPath = [&]() -> QString {
        if (stack.empty())
            return {};
        const Frame &f = stack.back();
        if (f.object)
            return f.path.isEmpty() ? f.key : f.path + u'.' + f.key;
        return f.path + u'[' + QString::number(f.index) + u']';
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '{' || c == '[') {
            Frame frame;
            frame.object = c == '{';
            frame.path = childPath();
            stack.push_back(std::move(frame));
        } else if (c == '}' || c == ']') {
            if (!stack.empty())
                stack.pop_back();
        } else if (c == ',') {
            if (!stack.empty()) {
                stack.back().expectKey = true;
                ++stack.back().index;
            }
        } else if (c == '"') {
            const qsizetype start = i;
            for (++i; i < json.size() && json[i] != '"'; ++i) {
                if (json[i] == '\\')
                    ++i;
            }
            if (stack.empty() || !stack.back().object || !stack.back().expectKey)
                continue;
            // Decoded by Qt, so that "a" and "\u0061" are the same key.
            const QByteArray token = "[" + json.sliced(start, i - start + 1).toByteArray() + "]";
            const QString key = QJsonDocument::fromJson(token).array().at(0).toString();
            Frame &f = stack.back();
            f.expectKey = false;
            f.key = key;
            if (f.keys.contains(key))
                return f.path.isEmpty() ? key : f.path + u'.' + key;
            f.keys.insert(key);
        }
    }
    return {};
}

} // namespace detail

Scenario detail::scenarioFromText(const QByteArray &text, const QString &path)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        throw ScenarioError(
            u"scenario '"_s + path + u"' is not valid JSON at offset %1: "_s.arg(error.offset) + error.errorString());
    if (!doc.isObject())
        throw ScenarioError(u"scenario '"_s + path + u"' must hold a JSON object"_s);
    if (const QString key = detail::firstDuplicateKey(text); !key.isEmpty()) {
        throw ScenarioError(
            u"scenario '"_s + path + u"': '"_s + key + u"' is given twice (only the last one would count); keep one"_s);
    }
    try {
        return Scenario::fromJson(doc.object());
    } catch (const ScenarioError &e) {
        throw ScenarioError(u"scenario '"_s + path + u"': "_s + e.message());
    }
}

Scenario Scenario::fromFile(const QString &path)
{
    return detail::scenarioFromText(readScenarioText(path), path);
}

bool Scenario::fileSets(const QString &path, const QString &key)
{
    QJsonValue node;
    try {
        node = QJsonDocument::fromJson(readScenarioText(path)).object();
    } catch (const ScenarioError &) {
        return false;
    }
    for (const QString &part : key.split(u'.')) {
        if (!node.isObject() || !node.toObject().contains(part))
            return false;
        node = node.toObject().value(part);
    }
    return true;
}

} // namespace cachescope
