#include "ui/historymodel.h"

#include "core/metrics/kpi.h"

#include <QBrush>
#include <QColor>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// The KPI a column shows, or empty.
QString kpiOf(int column)
{
    switch (column) {
    case HistoryModel::HitRate:
        return u"hit_rate"_s;
    case HistoryModel::DbReduction:
        return u"db_query_reduction"_s;
    case HistoryModel::Throughput:
        return u"throughput_ratio"_s;
    case HistoryModel::P50Reduction:
        return u"p50_reduction"_s;
    default:
        return {};
    }
}

// A verdict as the table shows it; the model's UserRole keeps the stored word.
QString shownVerdict(const QString &verdict)
{
    if (verdict == u"pass"_s)
        return HistoryModel::tr("pass");
    if (verdict == u"fail"_s)
        return HistoryModel::tr("fail");
    if (verdict == u"inconclusive"_s)
        return HistoryModel::tr("inconclusive");
    if (verdict == u"stopped"_s)
        return HistoryModel::tr("stopped");
    if (verdict == u"error"_s)
        return HistoryModel::tr("error");
    return verdict;
}
} // namespace

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void HistoryModel::setEntries(const QList<HistoryEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

int HistoryModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).id == id)
            return row;
    }
    return -1;
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HistoryEntry &e = m_entries.at(index.row());
    const int column = index.column();
    if (const QString kpi = kpiOf(column); !kpi.isEmpty()) {
        const auto it = e.kpis.constFind(kpi);
        if (role == Qt::DisplayRole)
            return it == e.kpis.constEnd() ? u"—"_s : findKpi(kpi)->format(*it);
        if (role == Qt::UserRole)
            return it == e.kpis.constEnd() ? QVariant(-1e300) : QVariant(*it);
        if (role == Qt::TextAlignmentRole)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role == Qt::ForegroundRole && column == Verdict) {
        if (e.verdict == u"pass"_s)
            return QBrush(QColor(0x1e, 0x7b, 0x34));
        if (e.verdict == u"fail"_s || e.verdict == u"error"_s)
            return QBrush(QColor(0xb3, 0x26, 0x1e));
        return {};
    }
    if (role == Qt::ToolTipRole && column == Settings)
        return QString(tr("On %1").arg(e.database) + u'\n'
            + (e.settings.isEmpty() ? tr("The default scenario") : e.settings.join(u'\n')));
    if (role == Qt::ToolTipRole && column == Verdict)
        return tr("%1 criteria met, %2 not met, %3 not measured")
            .arg(e.criteriaPassed)
            .arg(e.criteriaFailed)
            .arg(e.criteriaUnmeasured);
    if (role != Qt::DisplayRole && role != Qt::UserRole && role != Qt::EditRole)
        return {};
    const bool raw = role == Qt::UserRole;
    switch (column) {
    case Id:
        return raw ? QVariant(e.id) : QVariant(QString::number(e.id));
    case Finished:
        return raw ? QVariant(e.finishedAt) : QVariant(e.finishedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s));
    case Source:
        return e.source == u"gui"_s ? tr("window") : tr("command line");
    case Verdict:
        return raw ? QVariant(e.verdict) : QVariant(shownVerdict(e.verdict));
    case Label:
        return e.label;
    case Duration:
        return raw ? QVariant(e.durationS) : QVariant(tr("%1 s").arg(e.durationS, 0, 'f', 1));
    case Settings:
        return e.settings.isEmpty() ? tr("default") : e.settings.join(u", "_s);
    default:
        return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("Run");
    case Finished:
        return tr("Finished");
    case Source:
        return tr("From");
    case Verdict:
        return tr("Verdict");
    case Label:
        return tr("Label");
    case HitRate:
        return tr("Hit rate");
    case DbReduction:
        return tr("DB queries −");
    case Throughput:
        return tr("× baseline");
    case P50Reduction:
        return tr("p50 −");
    case Duration:
        return tr("Length");
    case Settings:
        return tr("Settings changed");
    default:
        return {};
    }
}

Qt::ItemFlags HistoryModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Label)
        f |= Qt::ItemIsEditable;
    return f;
}

bool HistoryModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != Label)
        return false;
    HistoryEntry &e = m_entries[index.row()];
    const QString label = value.toString().trimmed();
    if (label == e.label)
        return false;
    e.label = label;
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    Q_EMIT labelEdited(e.id, label);
    return true;
}

} // namespace cachescope
