import {
  AlertOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CalendarOutlined,
  ControlOutlined,
  DownOutlined,
  EnvironmentOutlined,
  FieldTimeOutlined,
  FileTextOutlined,
  FireOutlined,
  FlagOutlined,
  FormOutlined,
  FundOutlined,
  HeartOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  MailOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  NodeIndexOutlined,
  PhoneOutlined,
  PieChartOutlined,
  ProfileOutlined,
  ReconciliationOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SettingOutlined,
  ShopOutlined,
  SolutionOutlined,
  SoundOutlined,
  TagOutlined,
  TagsOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  TrophyOutlined,
  UserSwitchOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { Breadcrumb, Button, Dropdown, Layout, Menu, type MenuProps, Space, Spin, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../common/auth.js';
import { allowedPages, pageOf } from './access.js';
import { NotificationBell } from './cases/NotificationBell.js';
import { LanguageSwitch } from './LanguageSwitch.js';

const HomePage = lazy(() => import('./pages/HomePage.js'));
const OrgPage = lazy(() => import('./org/OrgPage.js'));
const DepartmentsPage = lazy(() => import('./pages/DepartmentsPage.js'));
const UsersPage = lazy(() => import('./pages/UsersPage.js'));
const RolesPage = lazy(() => import('./pages/RolesPage.js'));
const AuditPage = lazy(() => import('./pages/AuditPage.js'));
const JobsPage = lazy(() => import('./pages/JobsPage.js'));
const Open311KeysPage = lazy(() => import('./integrations/Open311KeysPage.js'));
const HotlinePage = lazy(() => import('./integrations/HotlinePage.js'));
const PasswordPage = lazy(() => import('./pages/PasswordPage.js'));
const TotpPage = lazy(() => import('./pages/TotpPage.js'));
const TokensPage = lazy(() => import('./pages/TokensPage.js'));
const ResidentsPage = lazy(() => import('./residents/ResidentsPage.js'));
const CasesRoutes = lazy(() => import('./cases/CasesRoutes.js'));
const MetricsPage = lazy(() => import('./cases/MetricsPage.js'));
const CategoriesPage = lazy(() => import('./cases/CategoriesPage.js'));
const CalendarPage = lazy(() => import('./cases/CalendarPage.js'));
const PlacesPage = lazy(() => import('./places/PlacesPage.js'));
const CarePage = lazy(() => import('./care/CarePage.js'));
const IntakePage = lazy(() => import('./services/IntakePage.js'));
const ApplicationsRoutes = lazy(() => import('./services/ApplicationsRoutes.js'));
const CataloguePage = lazy(() => import('./services/CataloguePage.js'));
const RectificationsPage = lazy(() => import('./services/RectificationsPage.js'));
const ServiceStatisticsPage = lazy(() => import('./services/StatisticsPage.js'));
const ProxyPointsPage = lazy(() => import('./proxy/ProxyPointsPage.js'));
const MyProxyPage = lazy(() => import('./proxy/MyProxyPage.js'));
const CareCategoriesPage = lazy(() => import('./care/CareCategoriesPage.js'));
const ResidentTagsPage = lazy(() => import('./residents/ResidentTagsPage.js'));
const PatrolsPage = lazy(() => import('./fieldwork/PatrolsPage.js'));
const WorkLogsPage = lazy(() => import('./fieldwork/WorkLogsPage.js'));
const ReportsPage = lazy(() => import('./assessment/ReportsPage.js'));
const ScorecardPage = lazy(() => import('./assessment/ScorecardPage.js'));
const EvaluationsPage = lazy(() => import('./assessment/EvaluationsPage.js'));
const RulesPage = lazy(() => import('./assessment/RulesPage.js'));
const DisputesRoutes = lazy(() => import('./governance/DisputesRoutes.js'));
const ReceptionPage = lazy(() => import('./governance/ReceptionPage.js'));
const ScreeningPage = lazy(() => import('./governance/ScreeningPage.js'));
const GrievancesRoutes = lazy(() => import('./governance/GrievancesRoutes.js'));
const IncidentsPage = lazy(() => import('./governance/IncidentsPage.js'));
const HotspotsPage = lazy(() => import('./governance/HotspotsPage.js'));
const CamerasPage = lazy(() => import('./governance/CamerasPage.js'));
const CommitteesPage = lazy(() => import('./governance/CommitteesPage.js'));
const RostersPage = lazy(() => import('./governance/RostersPage.js'));
const GovernanceStatsPage = lazy(() => import('./governance/GovernanceStatsPage.js'));
const EldercarePage = lazy(() => import('./eldercare/EldercarePage.js'));
const EldersPage = lazy(() => import('./eldercare/EldersPage.js'));
const ElderOrdersPage = lazy(() => import('./eldercareOrders/OrdersPage.js'));
const ProvidersPage = lazy(() => import('./eldercareOrders/ProvidersPage.js'));
const NoticesPage = lazy(() => import('./notices/NoticesPage.js'));
const WishesPage = lazy(() => import('./participation/WishesPage.js'));
const WhistlesPage = lazy(() => import('./participation/WhistlesPage.js'));
const DeliberationsPage = lazy(() => import('./participation/DeliberationsPage.js'));
const CouncilsPage = lazy(() => import('./participation/CouncilsPage.js'));
const VolunteersPage = lazy(() => import('./participation/VolunteersPage.js'));
const DualRegistrationsPage = lazy(() => import('./participation/DualRegistrationsPage.js'));
const PartyOrgsPage = lazy(() => import('./participation/PartyOrgsPage.js'));
const SocialOrgsPage = lazy(() => import('./participation/SocialOrgsPage.js'));
const PropertyPage = lazy(() => import('./participation/PropertyPage.js'));

const icons: Record<string, ReactNode> = {
  '/': <HomeOutlined />,
  '/org': <ApartmentOutlined />,
  '/departments': <BankOutlined />,
  '/users': <TeamOutlined />,
  '/roles': <SafetyOutlined />,
  '/audit': <AuditOutlined />,
  '/config/jobs': <FieldTimeOutlined />,
  '/config/open311-keys': <KeyOutlined />,
  '/config/hotline': <PhoneOutlined />,
  '/cases': <AlertOutlined />,
  '/residents': <IdcardOutlined />,
  '/metrics': <BarChartOutlined />,
  '/config/categories': <TagsOutlined />,
  '/config/calendar': <CalendarOutlined />,
  '/places': <EnvironmentOutlined />,
  '/care': <HeartOutlined />,
  '/intake': <FormOutlined />,
  '/applications': <ProfileOutlined />,
  '/my-proxy': <UserSwitchOutlined />,
  '/proxy-points': <ShopOutlined />,
  '/rectifications': <ReconciliationOutlined />,
  '/config/services': <AppstoreOutlined />,
  '/service-stats': <PieChartOutlined />,
  '/config/care-categories': <SettingOutlined />,
  '/config/resident-tags': <TagOutlined />,
  '/patrols': <NodeIndexOutlined />,
  '/worklogs': <FileTextOutlined />,
  '/assessment/reports': <FundOutlined />,
  '/assessment/scorecards': <TrophyOutlined />,
  '/assessment/evaluations': <AuditOutlined />,
  '/assessment/rules': <ControlOutlined />,
  '/governance/disputes': <ReconciliationOutlined />,
  '/governance/reception': <TeamOutlined />,
  '/governance/screening': <AuditOutlined />,
  '/governance/grievances': <MailOutlined />,
  '/governance/incidents': <ThunderboltOutlined />,
  '/governance/hotspots': <FireOutlined />,
  '/governance/cameras': <VideoCameraOutlined />,
  '/governance/committees': <ReconciliationOutlined />,
  '/governance/rosters': <ScheduleOutlined />,
  '/governance/stats': <BarChartOutlined />,
  '/eldercare': <AlertOutlined />,
  '/eldercare/elders': <IdcardOutlined />,
  '/eldercare/orders': <PhoneOutlined />,
  '/eldercare/providers': <ShopOutlined />,
  '/notices': <SoundOutlined />,
  '/participation/wishes': <HeartOutlined />,
  '/participation/whistles': <ThunderboltOutlined />,
  '/participation/wish-wall': <HeartOutlined />,
  '/participation/deliberations': <AuditOutlined />,
  '/participation/councils': <SolutionOutlined />,
  '/participation/volunteers': <TeamOutlined />,
  '/participation/dual-registrations': <BankOutlined />,
  '/participation/party': <FlagOutlined />,
  '/participation/social-orgs': <ApartmentOutlined />,
  '/participation/property': <ShopOutlined />,
};

const pageElements: Record<string, ReactNode> = {
  '/': <HomePage />,
  '/org': <OrgPage />,
  '/departments': <DepartmentsPage />,
  '/users': <UsersPage />,
  '/roles': <RolesPage />,
  '/audit': <AuditPage />,
  '/config/jobs': <JobsPage />,
  '/config/open311-keys': <Open311KeysPage />,
  '/config/hotline': <HotlinePage />,
  '/cases': <CasesRoutes />,
  '/residents': <ResidentsPage />,
  '/metrics': <MetricsPage />,
  '/config/categories': <CategoriesPage />,
  '/config/calendar': <CalendarPage />,
  '/places': <PlacesPage />,
  '/care': <CarePage />,
  '/intake': <IntakePage />,
  '/applications': <ApplicationsRoutes />,
  '/my-proxy': <MyProxyPage />,
  '/proxy-points': <ProxyPointsPage />,
  '/rectifications': <RectificationsPage />,
  '/config/services': <CataloguePage />,
  '/service-stats': <ServiceStatisticsPage />,
  '/config/care-categories': <CareCategoriesPage />,
  '/config/resident-tags': <ResidentTagsPage />,
  '/patrols': <PatrolsPage />,
  '/worklogs': <WorkLogsPage />,
  '/assessment/reports': <ReportsPage />,
  '/assessment/scorecards': <ScorecardPage />,
  '/assessment/evaluations': <EvaluationsPage />,
  '/assessment/rules': <RulesPage />,
  '/governance/disputes': <DisputesRoutes />,
  '/governance/reception': <ReceptionPage />,
  '/governance/screening': <ScreeningPage />,
  '/governance/grievances': <GrievancesRoutes />,
  '/governance/incidents': <IncidentsPage />,
  '/governance/hotspots': <HotspotsPage />,
  '/governance/cameras': <CamerasPage />,
  '/governance/committees': <CommitteesPage />,
  '/governance/rosters': <RostersPage />,
  '/governance/stats': <GovernanceStatsPage />,
  '/eldercare': <EldercarePage />,
  '/eldercare/elders': <EldersPage />,
  '/eldercare/orders': <ElderOrdersPage />,
  '/eldercare/providers': <ProvidersPage />,
  '/notices': <NoticesPage />,
  '/participation/wishes': <WishesPage />,
  '/participation/whistles': <WhistlesPage />,
  '/participation/wish-wall': <WishesPage wall />,
  '/participation/deliberations': <DeliberationsPage />,
  '/participation/councils': <CouncilsPage />,
  '/participation/volunteers': <VolunteersPage />,
  '/participation/dual-registrations': <DualRegistrationsPage />,
  '/participation/party': <PartyOrgsPage />,
  '/participation/social-orgs': <SocialOrgsPage />,
  '/participation/property': <PropertyPage />,
};

const collapsedKey = 'cg.menuCollapsed';

/** Where the user is: the menu group, the page, and the sub-page (a case, the report form). */
function PageHeader() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const page = pageOf(pathname);
  const account = pathname.startsWith('/account/');
  const accountPages: Record<string, string> = {
    '/account/password': 'menu.password',
    '/account/totp': 'menu.totp',
    '/account/tokens': 'menu.tokens',
  };
  const sub =
    page?.path === '/cases' && pathname !== '/cases'
      ? t(pathname === '/cases/new' ? 'shell.crumbs.caseNew' : 'shell.crumbs.caseDetail')
      : page?.path === '/applications' && pathname !== '/applications'
        ? t('services.detail.crumb')
        : page?.path === '/governance/disputes' && pathname !== '/governance/disputes'
          ? t(pathname.endsWith('/new') ? 'disputes.form.title' : 'disputes.detail.crumb')
          : page?.path === '/governance/grievances' && pathname !== '/governance/grievances'
            ? t('gov.grievances.detail')
            : null;
  // The home is its own header (the welcome card).
  if (pathname === '/') return null;
  const trail: { title: ReactNode }[] = [{ title: <Link to="/">{t('menu.home')}</Link> }];
  let title = t('menu.home');
  if (account) {
    const key = accountPages[pathname];
    trail.push({ title: t('shell.crumbs.account') });
    title = key ? t(key) : t('shell.crumbs.account');
    trail.push({ title });
  } else if (page && page.path !== '/') {
    if (page.group !== 'main') trail.push({ title: t(`menu.${page.group}`) });
    title = t(page.labelKey);
    trail.push({ title: sub ? <Link to={page.path}>{title}</Link> : title });
    if (sub) {
      trail.push({ title: sub });
      title = sub;
    }
  }
  return (
    <div style={{ marginBottom: 16 }} data-testid="page-header">
      <Breadcrumb items={trail} />
      <Typography.Title level={4} style={{ margin: '8px 0 0' }}>
        {title}
      </Typography.Title>
    </div>
  );
}

export default function ConsoleApp() {
  const { t } = useTranslation();
  const { me, can, logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(collapsedKey) === '1');
  const toggle = () => {
    localStorage.setItem(collapsedKey, collapsed ? '0' : '1');
    setCollapsed(!collapsed);
  };
  if (!me) return <Navigate to="/login" replace />;

  // Until the password is changed or TOTP enrolled, nothing else opens (the API agrees).
  if (me.mustChangePassword || (me.totpRequired && !me.totpEnabled)) {
    return (
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Content style={{ maxWidth: 560, margin: '48px auto', width: '100%' }}>
          <Suspense fallback={<Spin />}>
            {me.mustChangePassword ? <PasswordPage forced /> : <TotpPage forced />}
          </Suspense>
        </Layout.Content>
      </Layout>
    );
  }

  const pages = allowedPages(can);
  const item = (p: (typeof pages)[number]) => ({ key: p.path, icon: icons[p.path], label: t(p.labelKey) });
  // Menu groups below the main pages, in order; a group shows when one of its pages is allowed.
  const groups = [
    { key: 'governance', label: t('menu.governance') },
    { key: 'assessment', label: t('menu.assessment') },
    { key: 'system', label: t('menu.system') },
  ] as const;
  const menuItems: MenuProps['items'] = [
    ...pages.filter((p) => p.group === 'main').map(item),
    ...groups.flatMap((g): NonNullable<MenuProps['items']> => {
      const children = pages.filter((p) => p.group === g.key).map(item);
      if (!children.length) return [];
      // Collapsed, a group's title has no room: a divider stands for it.
      return collapsed
        ? [{ type: 'divider' as const, key: `${g.key}-divider` }, ...children]
        : [{ type: 'group' as const, key: g.key, label: g.label, children }];
    }),
  ];
  const selected = pages
    .map((p) => p.path)
    .filter((p) => (p === '/' ? location.pathname === '/' : location.pathname.startsWith(p)));
  const unit = me.jurisdiction.orgUnitName ?? me.jurisdiction.departmentName ?? '';

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={220}
        collapsedWidth={64}
        collapsed={collapsed}
        theme="light"
        style={{ borderRight: '1px solid #f0f0f0' }}
      >
        <div
          style={{
            padding: collapsed ? '16px 0' : '16px 20px',
            textAlign: collapsed ? 'center' : 'left',
            fontWeight: 600,
            fontSize: 16,
            color: '#1677ff',
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          <img src="/favicon.svg" alt="" width={22} height={22} style={{ verticalAlign: -5 }} />
          {!collapsed && <span style={{ marginLeft: 8 }}>{t('app.short')}</span>}
        </div>
        <Menu
          mode="inline"
          selectedKeys={selected}
          items={menuItems}
          onClick={(e) => navigate(e.key)}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            gap: 16,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Button
            type="text"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={toggle}
            aria-label={t(collapsed ? 'shell.expand' : 'shell.collapse')}
            title={t(collapsed ? 'shell.expand' : 'shell.collapse')}
            data-testid="menu-toggle"
          />
          <span style={{ flex: 1 }} />
          <NotificationBell />
          <LanguageSwitch />
          <Dropdown
            menu={{
              items: [
                { key: '/account/password', label: t('menu.password') },
                { key: '/account/totp', label: t('menu.totp') },
                { key: '/account/tokens', label: t('menu.tokens') },
                { type: 'divider' },
                { key: 'logout', label: t('menu.logout'), danger: true },
              ],
              onClick: async (e) => {
                if (e.key === 'logout') {
                  await logout();
                  navigate('/login', { replace: true });
                } else navigate(e.key);
              },
            }}
          >
            <Space style={{ cursor: 'pointer' }} data-testid="user-menu">
              <Typography.Text strong>{me.displayName}</Typography.Text>
              <Typography.Text type="secondary">{unit}</Typography.Text>
              <DownOutlined />
            </Space>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: 24, background: '#f5f7fa' }}>
          <PageHeader />
          <Suspense fallback={<Spin />}>
            <Routes>
              {pages.map((p) => (
                <Route
                  key={p.path}
                  path={p.path === '/' ? '/' : `${p.path}/*`}
                  element={pageElements[p.path]}
                />
              ))}
              <Route path="/account/password" element={<PasswordPage />} />
              <Route path="/account/totp" element={<TotpPage />} />
              <Route path="/account/tokens" element={<TokensPage />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
