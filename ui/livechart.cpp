#include "ui/livechart.h"

#include <QLegend>
#include <QLegendMarker>

#include <QChart>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cachescope {

namespace {
// A tick step of 1, 2 or 5 × 10^k giving at most about six intervals over span.
double niceStep(double span)
{
    const double raw = span / 6.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= raw)
            return m * magnitude;
    }
    return 10.0 * magnitude;
}
} // namespace

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
    setXRange(m_xSpan);
    m_y = new QValueAxis;
    m_y->setTitleText(yTitle);
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    setYRange(10);
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

void LiveChart::setSeriesName(int series, const QString &name)
{
    m_series.at(std::size_t(series)).series->setName(name);
}

QString LiveChart::seriesName(int series) const
{
    return m_series.at(std::size_t(series)).series->name();
}

void LiveChart::append(int series, QPointF point)
{
    auto &points = m_series[std::size_t(series)].points;
    points.append(point);
    if (points.size() > kMaxPoints) {
        points.remove(0, points.size() - kMaxPoints);
        m_trimmed = true;
    }
    m_dirty = true;
    if (!m_redraw.isActive())
        m_redraw.start();
}

void LiveChart::addMarker(double x, const QString &label)
{
    m_markers.push_back({x, label});
    dropOldMarkers();
    viewport()->update();
}

QString LiveChart::markerLabel(double x) const
{
    for (const Marker &m : m_markers) {
        if (m.x == x)
            return m.label;
    }
    return {};
}

void LiveChart::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    if (m_markers.empty() || m_series.empty())
        return;
    QChart *c = chart();
    QPen pen(QColor(0x5f, 0x63, 0x68));
    pen.setWidth(1);
    pen.setStyle(Qt::DashLine);
    painter->save();
    painter->setPen(pen);
    painter->setClipRect(c->mapRectToScene(c->plotArea()));
    for (const Marker &m : m_markers) {
        if (m.x < m_x->min() || m.x > m_x->max())
            continue;
        const QPointF top = c->mapToScene(c->mapToPosition(QPointF(m.x, m_y->max()), m_series.front().series));
        const QPointF bottom = c->mapToScene(c->mapToPosition(QPointF(m.x, m_y->min()), m_series.front().series));
        painter->drawLine(top, bottom);
    }
    painter->restore();
}

void LiveChart::dropOldMarkers()
{
    double oldest = -std::numeric_limits<double>::infinity();
    if (m_trimmed) {
        oldest = std::numeric_limits<double>::infinity();
        for (const auto &s : m_series) {
            if (!s.points.isEmpty())
                oldest = std::min(oldest, s.points.first().x());
        }
    }
    qsizetype drop = 0;
    while (drop < qsizetype(m_markers.size())
        && (qsizetype(m_markers.size()) - drop > kMaxMarkers || m_markers[std::size_t(drop)].x < oldest))
        ++drop;
    m_markers.erase(m_markers.begin(), m_markers.begin() + drop);
}

void LiveChart::clear()
{
    m_markers.clear();
    m_trimmed = false;
    for (auto &s : m_series) {
        s.points.clear();
        s.series->clear();
    }
    setXRange(m_xSpan);
    if (!m_fixedY)
        setYRange(10);
}

void LiveChart::setXSpan(double span)
{
    m_xSpan = std::max(span, 1.0);
    setXRange(m_xSpan);
}

void LiveChart::setXRange(double max)
{
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0);
    m_x->setTickInterval(niceStep(max));
    m_x->setRange(0, max);
}

void LiveChart::setYRange(double max)
{
    const double step = niceStep(max);
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(0);
    m_y->setTickInterval(step);
    m_y->setRange(0, std::ceil(max / step) * step);
}

void LiveChart::setFixedYRange(double min, double max)
{
    m_fixedY = true;
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(min);
    m_y->setTickInterval((max - min) / 4.0); // quarters: 0, 25, 50, 75, 100 for percentages
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
    double maxX = m_xSpan;
    double maxY = 0.0;
    for (auto &s : m_series) {
        s.series->replace(s.points);
        for (const QPointF &p : s.points) {
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
        }
    }
    if (maxX > m_x->max())
        setXRange(maxX);
    if (!m_fixedY && maxY > m_y->max())
        setYRange(maxY * 1.1);
    if (m_trimmed)
        dropOldMarkers();
    if (!m_markers.empty())
        viewport()->update(); // the markers follow the axes
}

} // namespace cachescope
