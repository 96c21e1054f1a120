#include "ui/livechart.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace cachescope {

// QChartView(QWidget *) would make a default chart that setChart() then releases to no owner:
// hand the view its chart at construction instead.
LiveChart::LiveChart(const QString &title, const QString &xTitle, const QString &yTitle, QWidget *parent)
    : QChartView(new QChart, parent)
{
    QChart *chart = this->chart();
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_x = new QValueAxis;
    m_x->setTitleText(xTitle);
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_x->setRange(0, 10);
    m_y = new QValueAxis;
    m_y->setTitleText(yTitle);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setRange(0, 1);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing, false);
    setMinimumSize(360, 220);

    m_redraw.setInterval(50);
    m_redraw.setSingleShot(true);
    connect(&m_redraw, &QTimer::timeout, this, &LiveChart::redraw);
}

int LiveChart::addSeries(const QString &name, const QColor &color, Qt::PenStyle style)
{
    auto *series = new QLineSeries;
    series->setName(name);
    QPen pen(color);
    pen.setWidth(1);
    pen.setStyle(style);
    series->setPen(pen);
    chart()->addSeries(series);
    series->attachAxis(m_x);
    series->attachAxis(m_y);
    m_series.push_back({series, {}});
    return int(m_series.size()) - 1;
}

void LiveChart::append(int series, QPointF point)
{
    auto &points = m_series[std::size_t(series)].points;
    points.append(point);
    if (points.size() > kMaxPoints)
        points.remove(0, points.size() - kMaxPoints);
    m_dirty = true;
    if (!m_redraw.isActive())
        m_redraw.start();
}

void LiveChart::clear()
{
    for (auto &s : m_series) {
        s.points.clear();
        s.series->clear();
    }
    m_x->setRange(0, 10);
    if (!m_fixedY)
        m_y->setRange(0, 1);
}

void LiveChart::setFixedYRange(double min, double max)
{
    m_fixedY = true;
    m_y->setRange(min, max);
}

qsizetype LiveChart::pointCount(int series) const
{
    return m_series[std::size_t(series)].series->count();
}

void LiveChart::redraw()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    double maxX = 10.0;
    double maxY = 0.0;
    for (auto &s : m_series) {
        s.series->replace(s.points);
        for (const QPointF &p : s.points) {
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
        }
    }
    m_x->setRange(0, std::ceil(maxX));
    if (!m_fixedY && maxY > m_y->max())
        m_y->setRange(0, maxY * 1.2);
}

} // namespace cachescope
