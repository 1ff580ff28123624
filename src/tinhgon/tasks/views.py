from django.http import HttpResponse


def my_work(request):
    return HttpResponse("")
