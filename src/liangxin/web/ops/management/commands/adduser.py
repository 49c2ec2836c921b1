from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from liangxin.web.accounts.actions import do_save_user
from liangxin.web.accounts.models import User
from liangxin.web.core.scope import Role
from liangxin.web.instructors.models import Instructor
from liangxin.web.regions.models import Region


class Command(BaseCommand):
    help = (
        "新建或修改用户：角色与查看范围（镇街用户给出镇街，部门用户给出行业/主管单位/社会组织类型）"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="", help="姓名")
        parser.add_argument("--role", choices=Role.values, required=True)
        parser.add_argument("--region", help="所辖区域名称（镇街用户）")
        parser.add_argument("--instructor", help="指导员编号（指导员用户）")
        parser.add_argument(
            "--industry", action="append", default=[], help="行业（部门用户，可多次）"
        )
        parser.add_argument(
            "--supervisor", action="append", default=[], help="业务主管单位（部门用户）"
        )
        parser.add_argument(
            "--subtype", action="append", default=[], help="社会组织类型代码（部门用户）"
        )

    def handle(self, *args, **o):
        try:
            validate_password(o["password"], User(username=o["username"]))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        region = instructor = None
        if o["region"]:
            region = Region.objects.filter(name=o["region"]).first()
            if region is None:
                raise CommandError(f"没有名为“{o['region']}”的区域，请先导入数据")
        if o["instructor"]:
            instructor = Instructor.objects.filter(entity_id=o["instructor"]).first()
            if instructor is None:
                raise CommandError(f"没有编号为“{o['instructor']}”的指导员")
        user = do_save_user(
            None,
            o["username"],
            o["password"],
            o["name"],
            must_change_password=True,  # an initial password: changed at the first login
            role=o["role"],
            region=region,
            instructor=instructor,
            dept_industries=o["industry"],
            dept_supervisors=o["supervisor"],
            dept_subtypes=o["subtype"],
        )
        self.stdout.write(
            f"已保存用户 {user.username}（{user.get_role_display()}），首次登录须修改密码"
        )
