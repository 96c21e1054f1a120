#include "ui/comparisondialog.h"
#include "ui/coretext.h"

#include "ui/livechart.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// One colour per run, told apart in print too (the line styles differ as well).
const QColor kRunColors[5] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
    QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b)};
const Qt::PenStyle kRunStyles[5] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine};
} // namespace

ComparisonDialog::ComparisonDialog(const QList<ComparedRun> &runs, QWidget *parent)
    : QDialog(parent)
    , m_comparison(Comparison::of(runs))
{
    setObjectName(u"comparisonDialog"_s);
    setWindowTitle(tr("Compare runs: %1").arg(m_comparison.labels.join(u", "_s)));
    auto *layout = new QVBoxLayout(this);

    m_table = new QTableWidget(int(m_comparison.rows.size()), int(m_comparison.labels.size()));
    m_table->setObjectName(u"comparisonTable"_s);
    m_table->setHorizontalHeaderLabels(m_comparison.labels);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    QStringList rowTitles;
    for (const ComparisonRow &row : m_comparison.rows)
        rowTitles << coreText("Kpi", row.title);
    m_table->setVerticalHeaderLabels(rowTitles);
    for (int r = 0; r < m_comparison.rows.size(); ++r) {
        const ComparisonRow &row = m_comparison.rows.at(r);
        for (int c = 0; c < row.values.size(); ++c) {
            auto *item = new QTableWidgetItem;
            if (!row.values.at(c)) {
                item->setText(u"—"_s);
                item->setToolTip(tr("Not measured in this run"));
            } else {
                const Estimate &v = *row.values.at(c);
                QString text = row.formatValue(v.value);
                if (v.low && v.high)
                    item->setToolTip(
                        tr("95 % interval %1 … %2").arg(row.formatValue(*v.low), row.formatValue(*v.high)));
                if (const std::optional<Estimate> &d = row.deltas.at(c)) {
                    text += u"\n"_s + row.formatDelta(*d, row.values.first()->value);
                    // Better or worse beyond the noise (the floor and the interval), as compare says.
                    const std::optional<ComparisonRow::Change> change = row.change(c, m_comparison.noiseFloor);
                    if (change == ComparisonRow::Change::None)
                        text += u' ' + tr("(no change)");
                    else if (change)
                        item->setForeground(change == ComparisonRow::Change::Better ? QColor(0x1e, 0x7b, 0x34)
                                                                                    : QColor(0xb3, 0x26, 0x1e));
                    item->setData(Qt::UserRole,
                        change == ComparisonRow::Change::Better ? 1
                                                                : (change == ComparisonRow::Change::Worse ? -1 : 0));
                }
                item->setText(text);
            }
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(r, c, item);
        }
    }
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->resizeRowsToContents();

    m_settings = new QLabel;
    m_settings->setObjectName(u"settingsDiffer"_s);
    m_settings->setWordWrap(true);
    m_settings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_settings->setText(m_comparison.settingsDiffer.isEmpty()
            ? tr("The runs share every setting.")
            : tr("Settings that differ: %1").arg(m_comparison.settingsDiffer.join(u"; "_s)));

    m_hitRate = new LiveChart(tr("Hit rate per 100 ms"), tr("cached phase time (s)"), tr("hit rate (%)"));
    m_hitRate->setObjectName(u"comparisonHitRate"_s);
    m_hitRate->setFixedYRange(0, 100);
    m_throughput = new LiveChart(tr("Cached requests/s"), tr("cached phase time (s)"), tr("thousands per second"));
    m_throughput->setObjectName(u"comparisonThroughput"_s);
    double span = 1.0;
    for (int i = 0; i < runs.size(); ++i) {
        const int hit = m_hitRate->addSeries(m_comparison.labels.at(i), kRunColors[i], kRunStyles[i]);
        const int rps = m_throughput->addSeries(m_comparison.labels.at(i), kRunColors[i], kRunStyles[i]);
        for (const MetricsSnapshot &s : runs.at(i).result.timeSeries) {
            if (s.phase != Phase::Cached || s.interval < 0.05)
                continue;
            if (s.reads > 0)
                m_hitRate->append(hit, {s.phaseTime, s.hitRate() * 100.0});
            m_throughput->append(rps, {s.phaseTime, s.requestsPerSecond() / 1000.0});
            span = std::max(span, s.phaseTime);
        }
    }
    m_hitRate->setXSpan(span);
    m_throughput->setXSpan(span);

    auto *charts = new QWidget;
    auto *chartsLayout = new QHBoxLayout(charts);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addWidget(m_hitRate);
    chartsLayout->addWidget(m_throughput);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(charts);
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);
    layout->addWidget(m_settings);
    auto *note = new QLabel(tr("Changes are against the first run. Green: better, red: worse, where the change is "
                               "beyond %1 % of the first run's value and outside its 95 % interval (hit rate: Wilson; "
                               "throughput: over the 100 ms samples); otherwise no change.")
                                .arg(m_comparison.noiseFloor * 100.0, 0, 'g', 3));
    note->setWordWrap(true);
    layout->addWidget(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(1000, 720);
}

} // namespace cachescope
