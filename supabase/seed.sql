-- Demo data: the Hechuan–Leiwuqi pairing as a coordinator would first see it.
-- Run by `supabase db reset` and, into an empty database, by app/db/migrate.server.ts,
-- as the database owner after the migrations. Fixed ids keep links and tests stable.
-- Every demo account signs in with the password tongke-demo.

insert into public.regions (id, code, name_zh, name_bo, name_en, province_zh) values
  ('10000000-0000-4000-8000-000000000001', 'hechuan', '合川区', 'ཧོ་ཁྲོན་ཆུས།', 'Hechuan District', '重庆市'),
  ('10000000-0000-4000-8000-000000000002', 'leiwuqi', '类乌齐县', 'རི་བོ་ཆེ་རྫོང་།', 'Leiwuqi County', '西藏自治区昌都市');

insert into public.schools (id, region_id, name_zh, name_bo, name_en, stage) values
  ('20000000-0000-4000-8000-000000000101', '10000000-0000-4000-8000-000000000001',
    '重庆市合川区南屏小学', null, 'Nanping Primary School, Hechuan District, Chongqing', 'primary'),
  ('20000000-0000-4000-8000-000000000102', '10000000-0000-4000-8000-000000000001',
    '合川区龙市镇中心小学', null, 'Longshi Town Central Primary School, Hechuan', 'primary'),
  ('20000000-0000-4000-8000-000000000103', '10000000-0000-4000-8000-000000000001',
    '重庆市合川中学', null, 'Chongqing Hechuan High School', 'high'),
  ('20000000-0000-4000-8000-000000000104', '10000000-0000-4000-8000-000000000001',
    '合川区太和中学', null, 'Taihe Middle School, Hechuan', 'middle'),
  ('20000000-0000-4000-8000-000000000105', '10000000-0000-4000-8000-000000000001',
    '合川区第一职业高级中学', null, 'Hechuan No. 1 Vocational High School', 'vocational'),
  ('20000000-0000-4000-8000-000000000106', '10000000-0000-4000-8000-000000000001',
    '合川区实验小学', null, 'Hechuan Experimental Primary School', 'primary'),
  ('20000000-0000-4000-8000-000000000107', '10000000-0000-4000-8000-000000000001',
    '合川区钱塘镇中心小学', null, 'Qiantang Town Central Primary School, Hechuan', 'primary'),
  ('20000000-0000-4000-8000-000000000108', '10000000-0000-4000-8000-000000000001',
    '合川区大石中学', null, 'Dashi Middle School, Hechuan', 'middle'),

  ('20000000-0000-4000-8000-000000000201', '10000000-0000-4000-8000-000000000002',
    '类乌齐县第一小学', 'རི་བོ་ཆེ་རྫོང་སློབ་ཆུང་དང་པོ།', 'Leiwuqi County No. 1 Primary School', 'primary'),
  ('20000000-0000-4000-8000-000000000202', '10000000-0000-4000-8000-000000000002',
    '类乌齐县中学', 'རི་བོ་ཆེ་རྫོང་སློབ་འབྲིང་།', 'Leiwuqi County Middle School', 'middle'),
  ('20000000-0000-4000-8000-000000000203', '10000000-0000-4000-8000-000000000002',
    '类乌齐镇中心小学', 'རི་བོ་ཆེ་གྲོང་རྡལ་ལྟེ་བའི་སློབ་ཆུང་།', 'Leiwuqi Town Central Primary School', 'primary'),
  ('20000000-0000-4000-8000-000000000204', '10000000-0000-4000-8000-000000000002',
    '桑多镇中心小学', 'བསམ་མདོ་གྲོང་རྡལ་ལྟེ་བའི་སློབ་ཆུང་།', 'Sangduo Town Central Primary School', 'primary'),
  ('20000000-0000-4000-8000-000000000205', '10000000-0000-4000-8000-000000000002',
    '甲桑卡乡小学', 'རྒྱ་བསམ་ཁ་ཤང་སློབ་ཆུང་།', 'Jiasangka Township Primary School', 'primary'),
  ('20000000-0000-4000-8000-000000000206', '10000000-0000-4000-8000-000000000002',
    '岗色乡小学', 'སྒང་གསེར་ཤང་སློབ་ཆུང་།', 'Gangse Township Primary School', 'primary'),
  ('20000000-0000-4000-8000-000000000207', '10000000-0000-4000-8000-000000000002',
    '滨达乡小学', 'སྤེན་མདའ་ཤང་སློབ་ཆུང་།', 'Binda Township Primary School', 'primary'),
  ('20000000-0000-4000-8000-000000000208', '10000000-0000-4000-8000-000000000002',
    '卡玛多乡小学', 'ཁ་མ་མདོ་ཤང་སློབ་ཆུང་།', 'Kamaduo Township Primary School', 'primary');

insert into public.classrooms (school_id, name, grade, device_note) values
  ('20000000-0000-4000-8000-000000000101', '三年级二班', '三年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000101', '四年级一班', '四年级', '鸿合交互智能平板'),
  ('20000000-0000-4000-8000-000000000101', '录播教室', null, '录播主机 + 希沃一体机，三机位'),
  ('20000000-0000-4000-8000-000000000102', '五年级一班', '五年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000102', '录播教室', null, '录播主机，双机位'),
  ('20000000-0000-4000-8000-000000000103', '高一（3）班', '高一', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000103', '同步课堂教室', null, '录播主机 + 85 寸交互大屏'),
  ('20000000-0000-4000-8000-000000000104', '七年级二班', '七年级', '鸿合交互智能平板'),
  ('20000000-0000-4000-8000-000000000105', '数控实训室', null, '教师机 + 投影仪'),
  ('20000000-0000-4000-8000-000000000105', '录播教室', null, '录播主机'),
  ('20000000-0000-4000-8000-000000000106', '二年级三班', '二年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000106', '六年级一班', '六年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000107', '四年级一班', '四年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000108', '八年级一班', '八年级', '鸿合交互智能平板'),
  ('20000000-0000-4000-8000-000000000108', '录播教室', null, '录播主机，双机位'),

  ('20000000-0000-4000-8000-000000000201', '三年级一班', '三年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000201', '四年级二班', '四年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000201', '录播教室', null, '录播主机 + 希沃一体机，光纤专线'),
  ('20000000-0000-4000-8000-000000000202', '七年级一班', '七年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000202', '同步课堂教室', null, '录播主机 + 交互大屏'),
  ('20000000-0000-4000-8000-000000000203', '三年级一班', '三年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000203', '五年级一班', '五年级', '希沃一体机'),
  ('20000000-0000-4000-8000-000000000204', '四年级一班', '四年级', '希沃一体机，4G 备用网络'),
  ('20000000-0000-4000-8000-000000000205', '多媒体教室', null, '一体机，网络不稳时只用音频'),
  ('20000000-0000-4000-8000-000000000206', '多媒体教室', null, '一体机 + 摄像头'),
  ('20000000-0000-4000-8000-000000000207', '三年级一班', '三年级', '一体机'),
  ('20000000-0000-4000-8000-000000000207', '多媒体教室', null, '一体机 + 全向麦克风'),
  ('20000000-0000-4000-8000-000000000208', '多媒体教室', null, '一体机，4G 网络');

-- The columns Supabase Auth (GoTrue) reads: its token columns must be '' rather than null.
-- Profiles follow from the trigger on auth.users.
with demo_users (id, email, display_name, preferred_language) as (
  values
    ('30000000-0000-4000-8000-000000000001'::uuid, 'admin@example.com', '李华', 'zh-CN'),
    ('30000000-0000-4000-8000-000000000002'::uuid, 'coordinator.hechuan@example.com', '周敏', 'zh-CN'),
    ('30000000-0000-4000-8000-000000000003'::uuid, 'coordinator.leiwuqi@example.com', '洛桑次仁', 'bo'),
    ('30000000-0000-4000-8000-000000000004'::uuid, 'principal.hechuan@example.com', '张建国', 'zh-CN'),
    ('30000000-0000-4000-8000-000000000005'::uuid, 'teacher.hechuan@example.com', '王丽', 'zh-CN'),
    ('30000000-0000-4000-8000-000000000006'::uuid, 'teacher.leiwuqi@example.com', '扎西卓玛', 'bo'),
    ('30000000-0000-4000-8000-000000000011'::uuid, 'chen.jing@example.com', '陈静', 'zh-CN'),
    ('30000000-0000-4000-8000-000000000012'::uuid, 'liu.yang@example.com', '刘洋', 'zh-CN'),
    ('30000000-0000-4000-8000-000000000013'::uuid, 'huang.xiaoyan@example.com', '黄晓燕', 'en'),
    ('30000000-0000-4000-8000-000000000021'::uuid, 'principal.leiwuqi@example.com', '尼玛顿珠', 'bo'),
    ('30000000-0000-4000-8000-000000000022'::uuid, 'tsering.dorje@example.com', '次仁多吉', 'zh-CN'),
    ('30000000-0000-4000-8000-000000000023'::uuid, 'kelsang.lhamo@example.com', '格桑拉姆', 'bo')
),
-- One bcrypt hash for the shared demo password: hashing it twelve times costs a second in WebAssembly.
demo_password (hash) as (
  select extensions.crypt('tongke-demo', extensions.gen_salt('bf', 10))
),
new_users as (
  insert into auth.users (
    instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
    raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
    confirmation_token, recovery_token, email_change_token_new, email_change
  )
  select
    '00000000-0000-0000-0000-000000000000', id, 'authenticated', 'authenticated', email,
    (select hash from demo_password), now(),
    '{"provider":"email","providers":["email"]}',
    jsonb_build_object('display_name', display_name, 'preferred_language', preferred_language),
    now(), now(),
    '', '', '', ''
  from demo_users
  returning id, email
)
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select
  id::text, id,
  jsonb_build_object('sub', id::text, 'email', email, 'email_verified', true),
  'email', now(), now(), now()
from new_users;

insert into public.platform_admins (user_id) values
  ('30000000-0000-4000-8000-000000000001');

insert into public.coordinator_scopes (region_id, user_id) values
  ('10000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000002'),
  ('10000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000003');

insert into public.school_memberships (school_id, user_id, role) values
  ('20000000-0000-4000-8000-000000000101', '30000000-0000-4000-8000-000000000004', 'school_admin'),
  ('20000000-0000-4000-8000-000000000101', '30000000-0000-4000-8000-000000000005', 'teacher'),
  ('20000000-0000-4000-8000-000000000101', '30000000-0000-4000-8000-000000000011', 'teacher'),
  ('20000000-0000-4000-8000-000000000101', '30000000-0000-4000-8000-000000000012', 'teacher'),
  ('20000000-0000-4000-8000-000000000101', '30000000-0000-4000-8000-000000000013', 'teacher'),
  ('20000000-0000-4000-8000-000000000201', '30000000-0000-4000-8000-000000000021', 'school_admin'),
  ('20000000-0000-4000-8000-000000000201', '30000000-0000-4000-8000-000000000006', 'teacher'),
  ('20000000-0000-4000-8000-000000000201', '30000000-0000-4000-8000-000000000022', 'teacher'),
  ('20000000-0000-4000-8000-000000000201', '30000000-0000-4000-8000-000000000023', 'teacher');
