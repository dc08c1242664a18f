import { Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useAuth } from '../../common/auth.js';
import { allowedPages } from '../access.js';
import { GovernanceCentreCard } from '../governance/GovernanceCentreCard.js';
import { ServiceCentreCard } from '../services/ServiceCentreCard.js';
import { DashboardPanel } from './Dashboard.js';
import { RoleHomes } from './RoleHomes.js';
import { TodoCard } from './TodoCard.js';

export default function HomePage() {
  const { t } = useTranslation();
  const { me, can } = useAuth();
  if (!me) return null;
  const j = me.jurisdiction;
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t('home.welcome', { name: me.displayName })}
          </Typography.Title>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('home.jurisdiction')}>
              {j.orgUnitName ? `${j.orgUnitName}（${t(`level.${j.level}`)}）` : (j.departmentName ?? '—')}
            </Descriptions.Item>
            <Descriptions.Item label={t('home.roles')}>
              {me.roles.map((r) => (
                <Tag key={r.code} color="blue">
                  {r.name}
                </Tag>
              ))}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      </Col>
      <RoleHomes />
      {(can('case:read') || can('application:read')) && (
        <Col span={24}>
          <TodoCard />
        </Col>
      )}
      {can('application:read') && (
        <Col span={24}>
          <ServiceCentreCard />
        </Col>
      )}
      {can('governance:stats') && can('metrics:read') && (
        <Col span={24}>
          <GovernanceCentreCard />
        </Col>
      )}
      {can('metrics:read') && can('case:read') && (
        <Col span={24}>
          <DashboardPanel />
        </Col>
      )}
      <Col span={24}>
        <Card title={t('home.shortcuts')}>
          <Row gutter={[12, 12]}>
            {allowedPages(can)
              .filter((p) => p.path !== '/')
              .map((p) => (
                <Col key={p.path} xs={12} md={6}>
                  <Link to={p.path}>
                    <Card hoverable size="small" style={{ textAlign: 'center' }}>
                      {t(p.labelKey)}
                    </Card>
                  </Link>
                </Col>
              ))}
          </Row>
        </Card>
      </Col>
    </Row>
  );
}
